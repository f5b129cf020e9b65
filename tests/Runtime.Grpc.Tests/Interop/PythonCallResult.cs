namespace Runtime.Grpc.Tests.Interop;

/// <summary>What python_client.py printed: status, response bytes (hex) and trailing metadata.</summary>
internal sealed record PythonCallResult(
    int Code,
    string CodeName,
    string Details,
    IReadOnlyList<string> Responses,
    IReadOnlyDictionary<string, string> TrailingMetadata)
{
    public IEnumerable<byte[]> ResponseBytes => Responses.Select(Convert.FromHexString);
}
