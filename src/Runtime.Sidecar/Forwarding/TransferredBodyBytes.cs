using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// The body bytes the forwarder actually moved for one downstream request, whatever the framing (Content-Length,
/// chunked, HTTP/2 DATA, gRPC streams): what the request metrics report as <c>istio_request_bytes</c> and
/// <c>istio_response_bytes</c>. Set as a request feature by the forwarder; the reader hands it back with
/// <see cref="Release"/>, so the hot path reuses pooled instances instead of allocating one per request.
/// </summary>
internal sealed class TransferredBodyBytes : IResettable
{
    private static readonly ObjectPool<TransferredBodyBytes> Pool = new DefaultObjectPool<TransferredBodyBytes>(new DefaultPooledObjectPolicy<TransferredBodyBytes>(), 1024);

    /// <summary>Request body bytes sent upstream (the largest over the request's attempts: a body is sent once).</summary>
    public long Request { get; private set; }

    /// <summary>Response body bytes relayed downstream.</summary>
    public long Response { get; private set; }

    /// <summary>Whether a response body was relayed by the forwarder (otherwise the mesh wrote the response itself).</summary>
    public bool ResponseRelayed { get; private set; }

    /// <summary>The request's counts, created (from the pool) on first use.</summary>
    public static TransferredBodyBytes Of(HttpContext context)
    {
        if (context.Features.Get<TransferredBodyBytes>() is { } existing)
        {
            return existing;
        }

        var created = Pool.Get();
        context.Features.Set(created);
        return created;
    }

    /// <summary>Notes one attempt's request body size.</summary>
    public void NoteRequest(long bytes) => Request = Math.Max(Request, bytes);

    /// <summary>Notes the relayed response body size.</summary>
    public void NoteResponse(long bytes)
    {
        Response += bytes;
        ResponseRelayed = true;
    }

    /// <summary>Removes the counts from <paramref name="context"/> and returns them to the pool, once the request was reported.</summary>
    public static void Release(HttpContext context, TransferredBodyBytes bytes)
    {
        context.Features.Set<TransferredBodyBytes>(null);
        Pool.Return(bytes);
    }

    /// <inheritdoc />
    public bool TryReset()
    {
        Request = 0;
        Response = 0;
        ResponseRelayed = false;
        return true;
    }
}
