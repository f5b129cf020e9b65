namespace Runtime.Cli;

/// <summary>
/// A failure to report to the user as one or more <c>error:</c> lines, with no stack trace. Each line of
/// <see cref="Lines"/> is printed as it is.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
        Lines = [message.StartsWith("Error from server", StringComparison.Ordinal) ? message : "error: " + message];
    }

    public CliException(string message, IReadOnlyList<string> lines)
        : base(message)
    {
        Lines = lines;
    }

    public IReadOnlyList<string> Lines { get; }
}
