namespace Runtime.Silo.Traffic;

/// <summary>The dashboard's node id: <c>namespace/service/version</c>, unknown parts spelled <c>unknown</c>.</summary>
internal static class NodeId
{
    /// <summary>The id of the node <paramref name="service"/> <paramref name="version"/> in <paramref name="ns"/>.</summary>
    public static string Of(string ns, string service, string version) => $"{Part(ns)}/{Part(service)}/{Part(version)}";

    private static string Part(string value) => string.IsNullOrEmpty(value) ? EdgeKey.Unknown : value;
}
