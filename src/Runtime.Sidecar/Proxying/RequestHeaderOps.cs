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
            editor.Remove(name);
        }

        foreach (var (name, value) in mutations.Set)
        {
            editor.Set(name, value);
        }

        foreach (var (name, value) in mutations.Add)
        {
            editor.Add(name, value);
        }
    }

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
