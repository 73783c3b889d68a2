import assert from "node:assert/strict";
import {
  checkDescription,
  checkMaxBackups,
  checkName,
  checkPlanBody,
  checkResources,
  GUID_RE,
  MAX_BACKUPS,
  MAX_RESOURCES,
  RESOURCE_TYPES,
  type FieldProblem,
} from "../../provider/rules";

/** A body the service accepts; each test mutates a copy. */
function baseline(): Record<string, unknown> {
  return {
    name: "db-nightly",
    description: "nightly backup of the database volumes",
    backup_mode: "full",
    max_backups: 7,
    schedule_type: "crontab",
    schedule_pattern: "0 2 * * *",
    resources: [
      { id: "a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f", name: "db-data", type: "OS::Cinder::Volume" },
      { id: "3f0c7a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6", name: "db-wal", type: "OS::Cinder::Volume" },
    ],
  };
}

const STORED = { backup_mode: "full", schedule_type: "crontab", schedule_pattern: "0 2 * * *" };

function paths(problems: FieldProblem[]): string[] {
  return problems.map((p) => p.path.join("."));
}

function assertWellFormed(problems: FieldProblem[]): void {
  for (const p of problems) {
    assert.ok(p.path.length > 0, "every problem has a path");
    assert.ok(p.message.length > 5 && p.fix.length > 5, JSON.stringify(p));
  }
}

function create(mutate: (body: Record<string, unknown>) => void, requireGuidIds = false): FieldProblem[] {
  const body = baseline();
  mutate(body);
  const problems = checkPlanBody(body, { mode: "create", requireGuidIds });
  assertWellFormed(problems);
  return problems;
}

function update(patch: Record<string, unknown>, stored = STORED): FieldProblem[] {
  const problems = checkPlanBody(patch, { mode: "update", stored });
  assertWellFormed(problems);
  return problems;
}

describe("rules", () => {
  it("constants match the API reference", () => {
    assert.deepEqual(MAX_BACKUPS, { full: 90, frequency: 14 });
    assert.deepEqual(RESOURCE_TYPES, ["OS::Cinder::Volume"]);
    assert.equal(MAX_RESOURCES, 100);
  });

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

  describe("checkPlanBody on update", () => {
    it("accepts an empty patch and any single valid field", () => {
      assert.deepEqual(update({}), []);
      assert.deepEqual(update({ name: "db-hourly" }), []);
      assert.deepEqual(update({ status: "suspended" }), []);
      assert.deepEqual(update({ status: "started", max_backups: 90 }), []);
    });

    it("counts a field sent as null as not sent", () => {
      assert.deepEqual(
        update({
          name: null,
          description: null,
          max_backups: null,
          schedule_type: null,
          schedule_pattern: null,
          resources: null,
          status: null,
          backup_mode: null,
        }),
        [],
      );
    });

    it("refuses to change backup_mode", () => {
      const problems = update({ backup_mode: "full" });
      assert.deepEqual(paths(problems), ["backup_mode"]);
      assert.match(problems[0]?.message ?? "", /cannot be changed/);
      assert.match(problems[0]?.fix ?? "", /create a new plan/);
    });

    it("accepts only started or suspended as status", () => {
      const problems = update({ status: "paused" });
      assert.deepEqual(paths(problems), ["status"]);
      assert.match(problems[0]?.fix ?? "", /`started`.*`suspended`/);
    });

    it("checks max_backups against the stored mode", () => {
      assert.deepEqual(update({ max_backups: 15 }), []);
      assert.deepEqual(paths(update({ max_backups: 91 })), ["max_backups"]);
      const frequency = { ...STORED, backup_mode: "frequency" };
      assert.deepEqual(update({ max_backups: 14 }, frequency), []);
      assert.deepEqual(paths(update({ max_backups: 15 }, frequency)), ["max_backups"]);
      assert.deepEqual(paths(update({ max_backups: 0 }, frequency)), ["max_backups"]);
    });

    it("re-validates the schedule with the stored half", () => {
      // The stored crontab pattern is not in the weekly form: switching the type alone is refused, on schedule_type.
      const stored = { ...STORED, schedule_pattern: "0 */6 * * *" };
      const problems = update({ schedule_type: "calendar" }, stored);
      assert.deepEqual(paths(problems), ["schedule_type"]);
      assert.match(problems[0]?.message ?? "", /with the plan's current schedule_pattern `0 \*\/6 \* \* \*`/);
      assert.deepEqual(update({ schedule_type: "calendar", schedule_pattern: "0 6 * * *" }, stored), []);
      // A stored calendar plan takes only weekly patterns.
      const calendar = { ...STORED, schedule_type: "calendar" };
      assert.deepEqual(paths(update({ schedule_pattern: "0 3 1 * *" }, calendar)), ["schedule_pattern"]);
      assert.deepEqual(update({ schedule_pattern: "0 3 * * 1" }, calendar), []);
    });

    it("rejects server-owned and unknown fields, but not when sent as null", () => {
      assert.deepEqual(paths(update({ id: "x", created_at: "2024-01-01T00:00:00Z", colour: "red" })).sort(), [
        "colour",
        "created_at",
        "id",
      ]);
      assert.deepEqual(update({ id: null }), []);
    });

    it("checks each sent field and reports all problems at once", () => {
      const problems = update({
        name: "",
        description: "d".repeat(2000),
        max_backups: -1,
        schedule_pattern: "@daily",
        resources: [],
        status: "on",
        backup_mode: "frequency",
      });
      assert.deepEqual(paths(problems).sort(), [
        "backup_mode",
        "description",
        "max_backups",
        "name",
        "resources",
        "schedule_pattern",
        "status",
      ]);
    });
  });

  describe("single-field checkers", () => {
    it("checkName / checkDescription bounds", () => {
      assert.deepEqual(checkName("n"), []);
      assert.deepEqual(checkName("n".repeat(255)), []);
      assert.equal(checkName("n".repeat(256)).length, 1);
      assert.deepEqual(checkDescription(""), []);
      assert.deepEqual(checkDescription("d".repeat(1024)), []);
      assert.equal(checkDescription("d".repeat(1025)).length, 1);
    });

    it("says a missing value is missing, in plain words", () => {
      assert.match(checkName(undefined)[0]?.message ?? "", /name must be a string, got nothing$/);
      assert.match(checkMaxBackups("full", undefined)[0]?.message ?? "", /whole number, got nothing$/);
      assert.doesNotMatch(JSON.stringify(checkResources([{ id: undefined, name: "v" }])), /a undefined/);
    });

    it("checkMaxBackups with an unknown mode applies only the lower bound", () => {
      assert.deepEqual(checkMaxBackups("weird", 500), []);
      assert.equal(checkMaxBackups("weird", 0).length, 1);
      assert.equal(checkMaxBackups("full", Number.NaN).length, 1);
      assert.equal(checkMaxBackups("full", Number.POSITIVE_INFINITY).length, 1);
    });

    it("checkResources defaults to not requiring GUIDs", () => {
      assert.deepEqual(checkResources([{ id: "v1", name: "v1", type: "OS::Cinder::Volume" }]), []);
    });

    it("GUID_RE takes any 8-4-4-4-12 hex id, not only RFC 9562 UUIDs", () => {
      assert.ok(GUID_RE.test("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"));
      assert.ok(GUID_RE.test("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
      assert.ok(!GUID_RE.test("a0b1c2d3e4f506172839 4a5b6c7d8e9f"));
      assert.ok(!GUID_RE.test("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9"));
      assert.ok(!GUID_RE.test("g0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"));
    });
  });
});
