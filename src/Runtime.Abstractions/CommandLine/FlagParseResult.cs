namespace Runtime.Abstractions.CommandLine;

/// <summary>The options read from flags and environment, every problem found, and whether help was asked for.</summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="Options">The options, with every good value applied.</param>
/// <param name="Errors">Every problem, each naming the flag and its environment variable.</param>
/// <param name="HelpRequested">True when <c>--help</c>, <c>-h</c> or <c>-?</c> was given.</param>
public sealed record FlagParseResult<TOptions>(TOptions Options, IReadOnlyList<string> Errors, bool HelpRequested);
