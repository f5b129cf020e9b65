using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// One <see cref="JwksSource"/> per <c>jwksUri</c> for the sidecar's lifetime, so a config push that keeps a URI keeps
/// its fetched keys, and all rules naming one URI share one fetch.
/// </summary>
internal sealed class JwksCache(TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, JwksSource> _sources = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
    })
    {
        // Each fetch carries its own (per-rule) timeout.
        Timeout = Timeout.InfiniteTimeSpan,
        MaxResponseContentBufferSize = JwksSource.MaxDocumentBytes,
    };

    /// <summary>The source for <paramref name="uri"/>, created on first use.</summary>
    public JwksSource For(Uri uri) =>
        _sources.GetOrAdd(uri, u => new JwksSource(u, _client, time, loggers.CreateLogger<JwksSource>()));

    public void Dispose() => _client.Dispose();
}
