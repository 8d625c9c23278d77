/** Runs `action` with some environment variables set (or, for undefined, removed), then puts them back as they were. */
export async function withEnvironment<T>(variables: Readonly<Record<string, string | undefined>>, action: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const apply = (values: Readonly<Record<string, string | undefined>>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  };
  apply(variables);
  try {
    return await action();
  } finally {
    apply(before);
  }
}
