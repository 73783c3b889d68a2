import assert from "node:assert/strict";
import { checkPlanBody } from "../../provider/rules";
import { create, paths } from "./rules-helpers";

describe("rules", () => {
  describe("checkPlanBody on create", () => {
    it("accepts the compliant baseline (with and without GUID ids required)", () => {
      assert.deepEqual(
        create(() => undefined),
        [],
      );
      assert.deepEqual(
        create(() => undefined, true),
        [],
      );
    });

    it("accepts an empty description and a frequency plan at its limit", () => {
      assert.deepEqual(
        create((b) => {
          b.description = "";
        }),
        [],
      );
      assert.deepEqual(
        create((b) => {
          b.backup_mode = "frequency";
          b.max_backups = 14;
        }),
        [],
      );
      assert.deepEqual(
        create((b) => {
          b.schedule_type = "calendar";
          b.schedule_pattern = "30 2 * * 1,3,5";
        }),
        [],
      );
    });

    const required = [
      "name",
      "description",
      "backup_mode",
      "max_backups",
      "schedule_type",
      "schedule_pattern",
      "resources",
    ];
    for (const field of required) {
      it(`requires ${field}`, () => {
        const problems = create((b) => {
          delete b[field];
        });
        assert.deepEqual(paths(problems), [field]);
        assert.match(problems[0]?.message ?? "", new RegExp(`${field} is required`));
      });
    }

    for (const field of ["id", "created_at", "status"]) {
      it(`rejects the server-owned field ${field}`, () => {
        const problems = create((b) => {
          b[field] = field === "status" ? "started" : "x";
        });
        assert.deepEqual(paths(problems), [field]);
        assert.match(problems[0]?.message ?? "", /set by the service/);
      });
    }

    it("rejects unknown fields, listing the writable ones in the fix", () => {
      const problems = create((b) => {
        b.retention_days = 7;
      });
      assert.deepEqual(paths(problems), ["retention_days"]);
      assert.match(problems[0]?.message ?? "", /unknown field `retention_days`/);
      assert.match(problems[0]?.fix ?? "", /max_backups/);
    });

    const single: [what: string, mutate: (b: Record<string, unknown>) => void, path: string, message: RegExp][] = [
      [
        "an empty name",
        (b) => {
          b.name = "";
        },
        "name",
        /name is empty/,
      ],
      [
        "a 256-character name",
        (b) => {
          b.name = "n".repeat(256);
        },
        "name",
        /256 characters long; the limit is 255/,
      ],
      [
        "a numeric name",
        (b) => {
          b.name = 5;
        },
        "name",
        /must be a string, got the number/,
      ],
      [
        "a 1025-character description",
        (b) => {
          b.description = "d".repeat(1025);
        },
        "description",
        /1025 characters/,
      ],
      [
        "a null description",
        (b) => {
          b.description = null;
        },
        "description",
        /must be a string, got null/,
      ],
      [
        "an unknown backup_mode",
        (b) => {
          b.backup_mode = "incremental";
        },
        "backup_mode",
        /backup_mode `incremental` is not supported/,
      ],
      [
        "a fractional max_backups",
        (b) => {
          b.max_backups = 2.5;
        },
        "max_backups",
        /whole number/,
      ],
      [
        "a string max_backups",
        (b) => {
          b.max_backups = "7";
        },
        "max_backups",
        /whole number, got the string/,
      ],
      [
        "an unknown schedule_type",
        (b) => {
          b.schedule_type = "cron";
        },
        "schedule_type",
        /`cron` is not supported/,
      ],
      [
        "a 4-field pattern",
        (b) => {
          b.schedule_pattern = "0 2 * *";
        },
        "schedule_pattern",
        /has 4 fields/,
      ],
      [
        "a never-firing pattern",
        (b) => {
          b.schedule_pattern = "0 0 30 2 *";
        },
        "schedule_pattern",
        /never fires/,
      ],
      [
        "a too-frequent pattern",
        (b) => {
          b.schedule_pattern = "*/30 * * * *";
        },
        "schedule_pattern",
        /at most one run an hour/,
      ],
      [
        "a calendar pattern outside the weekly form",
        (b) => {
          b.schedule_type = "calendar";
          b.schedule_pattern = "0 3 1 * *";
        },
        "schedule_pattern",
        /weekly form/,
      ],
      [
        "a numeric pattern",
        (b) => {
          b.schedule_pattern = 5;
        },
        "schedule_pattern",
        /must be a string/,
      ],
      [
        "resources that are not a list",
        (b) => {
          b.resources = "vol-1";
        },
        "resources",
        /must be a list/,
      ],
      [
        "no resources",
        (b) => {
          b.resources = [];
        },
        "resources",
        /resources is empty/,
      ],
      [
        "a resource that is not an object",
        (b) => {
          (b.resources as unknown[])[1] = "vol";
        },
        "resources.1",
        /must be an object/,
      ],
      [
        "a resource without id",
        (b) => {
          delete (b.resources as Record<string, unknown>[])[1]?.id;
        },
        "resources.1.id",
        /non-empty string/,
      ],
      [
        "a resource with an empty name",
        (b) => {
          ((b.resources as Record<string, unknown>[])[0] ?? {}).name = " ";
        },
        "resources.0.name",
        /non-empty string, got an empty string/,
      ],
      [
        "a resource of another type",
        (b) => {
          ((b.resources as Record<string, unknown>[])[0] ?? {}).type = "OS::Nova::Server";
        },
        "resources.0.type",
        /`OS::Nova::Server` is not supported/,
      ],
      [
        "a resource without type",
        (b) => {
          delete (b.resources as Record<string, unknown>[])[0]?.type;
        },
        "resources.0.type",
        /not supported/,
      ],
      [
        "a resource with an extra field",
        (b) => {
          ((b.resources as Record<string, unknown>[])[0] ?? {}).size = 10;
        },
        "resources.0.size",
        /unknown field `size`/,
      ],
      [
        "a duplicate resource id",
        (b) => {
          ((b.resources as Record<string, unknown>[])[1] ?? {}).id = "A0B1C2D3-E4F5-0617-2839-4A5B6C7D8E9F";
        },
        "resources.1.id",
        /repeats resources\[0\]\.id/,
      ],
      [
        "101 resources",
        (b) => {
          b.resources = Array.from({ length: 101 }, (_, i) => ({
            id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
            name: `v${i}`,
            type: "OS::Cinder::Volume",
          }));
        },
        "resources",
        /101 volumes; a plan holds at most 100/,
      ],
    ];
    for (const [what, mutate, path, message] of single) {
      it(`rejects ${what} (one problem, on ${path})`, () => {
        const problems = create(mutate);
        assert.deepEqual(paths(problems), [path]);
        assert.match(problems[0]?.message ?? "", message);
      });
    }

    it("accepts exactly 100 resources", () => {
      assert.deepEqual(
        create((b) => {
          b.resources = Array.from({ length: 100 }, (_, i) => ({
            id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
            name: `v${i}`,
            type: "OS::Cinder::Volume",
          }));
        }),
        [],
      );
    });

    it("demands GUID ids only when asked", () => {
      const nonGuid = (b: Record<string, unknown>): void => {
        ((b.resources as Record<string, unknown>[])[0] ?? {}).id = "db-data";
      };
      assert.deepEqual(create(nonGuid), []);
      const problems = create(nonGuid, true);
      assert.deepEqual(paths(problems), ["resources.0.id"]);
      assert.match(problems[0]?.message ?? "", /not a GUID/);
    });

    for (const [mode, ok, over] of [
      ["full", 90, 91],
      ["frequency", 14, 15],
    ] as const) {
      it(`max_backups boundaries for ${mode}: 0 and ${over} rejected, 1 and ${ok} accepted`, () => {
        const withValue = (v: number) =>
          create((b) => {
            b.backup_mode = mode;
            b.max_backups = v;
          });
        assert.deepEqual(paths(withValue(0)), ["max_backups"]);
        assert.deepEqual(withValue(1), []);
        assert.deepEqual(withValue(ok), []);
        const problems = withValue(over);
        assert.deepEqual(paths(problems), ["max_backups"]);
        assert.match(problems[0]?.message ?? "", new RegExp(`backup_mode \`${mode}\` allows at most ${ok}`));
      });
    }

    it("reports every problem at once", () => {
      const problems = create((b) => {
        b.name = "";
        b.description = 1;
        b.backup_mode = "frequency";
        b.max_backups = 15;
        b.schedule_type = "calendar";
        b.schedule_pattern = "*/30 * * * MON";
        b.resources = [{ id: "", name: "", type: "disk" }];
        b.id = "x";
        b.color = "blue";
      });
      assert.deepEqual(paths(problems).sort(), [
        "color",
        "description",
        "id",
        "max_backups",
        "name",
        "resources.0.id",
        "resources.0.name",
        "resources.0.type",
        "schedule_pattern",
      ]);
    });
  });

  it("checkPlanBody rejects a body that is not an object (parsed JSON can be anything)", () => {
    for (const body of [null, [], "plan", 5]) {
      const problems = checkPlanBody(body as unknown as Record<string, unknown>, { mode: "create" });
      assert.equal(problems.length, 1);
      assert.deepEqual(problems[0]?.path, []);
      assert.match(problems[0]?.message ?? "", /must be a JSON object/);
    }
  });
});
