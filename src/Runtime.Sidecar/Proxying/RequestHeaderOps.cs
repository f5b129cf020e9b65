using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Proxying;

/// <summary>Applies Istio header operations to a forwarded message.</summary>
internal static class RequestHeaderOps
{
    public static void Apply(HeaderEditor editor, HeaderMutations mutations)
    {
        foreach (var name in mutations.Remove)
        {
            if (!IsProtected(name))
            {
                editor.Remove(name);
            }
        }

        foreach (var (name, value) in mutations.Set)
        {
            if (!IsProtected(name))
            {
                editor.Set(name, value);
            }
        }

        foreach (var (name, value) in mutations.Add)
        {
            if (!IsProtected(name))
            {
                editor.Add(name, value);
            }
        }
    }

    /// <summary>
    /// Framing and connection headers belong to the proxy: letting configuration set them would desynchronise
    /// the peer (e.g. a forged Transfer-Encoding on a keep-alive connection). Host is changed with
    /// <c>rewrite.authority</c>, as Istio requires.
    /// </summary>
    public static bool IsProtected(string name) => ProtectedHeaders.Contains(name);

    private static readonly HashSet<string> ProtectedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Content-Length", "Upgrade", "TE", "Trailer", "Host", ":authority", ":path", ":method", ":scheme",
    };

    /// <summary>Gives the request an <c>x-request-id</c> when it has none, as Envoy does at the first hop.</summary>
    public static void EnsureRequestId(HeaderEditor editor)
    {
        if (editor.Get(RequestIdHeader).Count == 0)
        {
            editor.Set(RequestIdHeader, Guid.NewGuid().ToString());
        }
    }

    public const string RequestIdHeader = "x-request-id";
}
