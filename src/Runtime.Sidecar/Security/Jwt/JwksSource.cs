using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// The keys behind one <c>jwksUri</c>: fetched on first use, kept, and refetched once older than the refresh
/// interval (Istio's 20 minutes) while the cached keys go on serving. A failed refresh keeps the last good keys.
/// With no good fetch yet there are no keys, so tokens of that issuer fail (never accepted unverified); failed
/// first fetches are retried at most once per <see cref="RetryDelay"/>, so a dead endpoint is not hammered.
/// </summary>
internal sealed partial class JwksSource(Uri uri, HttpClient client, TimeProvider time, ILogger logger)
{
    /// <summary>How long fetched keys serve before a refresh is started.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(20);

    /// <summary>The least time between two fetch attempts after a failure.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>JWKS documents larger than this are refused.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly Lock _lock = new();
    private IReadOnlyList<JwtVerificationKey>? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private Task<IReadOnlyList<JwtVerificationKey>?>? _inFlight;

    public Uri Uri => uri;

    /// <summary>
    /// The current keys, or null when none were ever fetched. Waits only when there are no keys yet (bounded by the
    /// fetch timeout); stale keys are returned at once while a refresh runs in the background.
    /// </summary>
    public Task<IReadOnlyList<JwtVerificationKey>?> GetKeysAsync(TimeSpan timeout)
    {
        Task<IReadOnlyList<JwtVerificationKey>?> fetch;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_keys is not null)
            {
                if (now - _fetchedAt >= RefreshInterval && _inFlight is null && now - _lastFailure >= RetryDelay)
                {
                    _inFlight = FetchAsync(timeout);
                }

                return Task.FromResult(_keys)!;
            }

            if (_inFlight is null)
            {
                if (now - _lastFailure < RetryDelay)
                {
                    return Task.FromResult<IReadOnlyList<JwtVerificationKey>?>(null);
                }

                _inFlight = FetchAsync(timeout);
            }

            fetch = _inFlight;
        }

        return fetch;
    }

    private async Task<IReadOnlyList<JwtVerificationKey>?> FetchAsync(TimeSpan timeout)
    {
        await Task.Yield();
        IReadOnlyList<JwtVerificationKey>? keys = null;
        try
        {
            using var cancel = new CancellationTokenSource(timeout, time);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancel.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogFetchFailed(logger, uri, $"HTTP {(int)response.StatusCode}");
            }
            else if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                LogFetchFailed(logger, uri, $"the document is larger than {MaxDocumentBytes} bytes");
            }
            else
            {
                var body = await ReadBoundedAsync(response.Content, cancel.Token).ConfigureAwait(false);
                if (body is null)
                {
                    LogFetchFailed(logger, uri, $"the document is larger than {MaxDocumentBytes} bytes");
                }
                else
                {
                    keys = JsonWebKeySet.Parse(body);
                    LogFetched(logger, uri, keys.Count);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong, the fetch must end (clearing _inFlight) with the last good keys kept.
            LogFetchFailed(logger, uri, ex.Message);
        }

        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (keys is not null)
            {
                _keys = keys;
                _fetchedAt = now;
            }
            else
            {
                _lastFailure = now;
            }

            _inFlight = null;
            return _keys;
        }
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxDocumentBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "JWKS {Uri}: {Count} usable keys")]
    private static partial void LogFetched(ILogger logger, Uri uri, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWKS {Uri} could not be fetched ({Reason}); keeping the last good keys, if any")]
    private static partial void LogFetchFailed(ILogger logger, Uri uri, string reason);
}
