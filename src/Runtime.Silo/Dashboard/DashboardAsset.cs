namespace Runtime.Silo.Dashboard;

/// <summary>One embedded UI file, ready to serve.</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">The Content-Type header value.</param>
/// <param name="ETag">A strong entity tag derived from the content.</param>
internal sealed record DashboardAsset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
