using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Set/add/remove operations on the headers of one forwarded message (Istio header operations). Names are
/// case-insensitive. A forwarder hands one to <see cref="ForwardRequest.RequestHeaders"/> and
/// <see cref="ForwardRequest.ResponseHeaders"/>; it is only valid during that call.
/// </summary>
internal abstract class HeaderEditor
{
    private protected HeaderEditor()
    {
    }

    /// <summary>The current values of <paramref name="name"/>; empty when absent.</summary>
    public abstract StringValues Get(string name);

    /// <summary>Replaces every value of <paramref name="name"/> with <paramref name="value"/>.</summary>
    public abstract void Set(string name, string value);

    /// <summary>Appends <paramref name="value"/> to <paramref name="name"/>, keeping existing values.</summary>
    public abstract void Add(string name, string value);

    /// <summary>Removes <paramref name="name"/> entirely.</summary>
    public abstract void Remove(string name);
}
