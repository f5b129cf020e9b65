namespace Runtime.Cli;

/// <summary>The streams a command reads and writes; tests pass their own.</summary>
/// <param name="Out">Standard output: results.</param>
/// <param name="Error">Standard error: errors, warnings and notices.</param>
/// <param name="In">Standard input, read by <c>-f -</c>.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
