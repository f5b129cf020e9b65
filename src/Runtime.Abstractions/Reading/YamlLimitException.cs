namespace Runtime.Abstractions.Reading;

/// <summary>Raised inside the node builder when a document exceeds a safety bound; caught per document.</summary>
internal sealed class YamlLimitException(string message, int line) : Exception(message)
{
    public int Line { get; } = line;
}
