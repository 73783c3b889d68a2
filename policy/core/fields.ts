// The field rules in provider/rules.ts speak the API's snake_case paths; users write the BackupPlan's
// camelCase inputs, so messages translate the path (`["resources", 1, "id"]` -> `resources[1].id`).
function camel(segment: string): string {
  return segment.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function apiPathToInput(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? camel(segment) : `.${camel(segment)}`;
  }
  return text === "" ? "(plan)" : text;
}
