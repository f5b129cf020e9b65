using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Runtime.Silo.Dashboard;

/// <summary>
/// The UI's files, embedded in the assembly from <c>Dashboard/wwwroot</c> (plain HTML, CSS and JavaScript: no build
/// step, nothing fetched from elsewhere), read once with their content types and content-hash ETags.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12))}\"";
            assets[name[ResourcePrefix.Length..].Replace('\\', '/')] = new DashboardAsset(bytes, ContentTypeOf(name), etag);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file at <paramref name="path"/> (relative to the UI root; empty for <c>index.html</c>), or null.</summary>
    public DashboardAsset? Find(string? path) =>
        _assets.GetValueOrDefault(string.IsNullOrEmpty(path) ? "index.html" : path);

    private static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
