namespace Runtime.Silo.Hosting;

/// <summary>What the command line and environment asked for.</summary>
/// <param name="Options">The options, with defaults where nothing was given.</param>
/// <param name="Errors">Values that could not be read at all (not numbers, unknown flags, ...).</param>
/// <param name="HelpRequested">Whether <c>--help</c> was given.</param>
internal sealed record SiloCommandLineResult(SiloOptions Options, IReadOnlyList<string> Errors, bool HelpRequested);
