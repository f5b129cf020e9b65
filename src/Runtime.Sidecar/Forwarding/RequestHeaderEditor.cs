using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Edits an outgoing <see cref="HttpRequestMessage"/>: message headers, content headers and Host.</summary>
internal sealed class RequestHeaderEditor(HttpRequestMessage message) : HeaderEditor
{
    public override StringValues Get(string name)
    {
        if (IsHost(name))
        {
            return message.Headers.NonValidated.TryGetValues("Host", out var host) ? host.ToString() : StringValues.Empty;
        }

        if (message.Headers.NonValidated.TryGetValues(name, out var values)
            || (message.Content is not null && message.Content.Headers.NonValidated.TryGetValues(name, out values)))
        {
            return HeaderValues.ToStringValues(values);
        }

        return StringValues.Empty;
    }

    public override void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public override void Add(string name, string value)
    {
        if (IsHost(name))
        {
            message.Headers.Remove("Host");
            message.Headers.TryAddWithoutValidation("Host", value);
            return;
        }

        if (!message.Headers.TryAddWithoutValidation(name, value))
        {
            message.Content?.Headers.TryAddWithoutValidation(name, value);
        }
    }

    public override void Remove(string name)
    {
        if (IsHost(name))
        {
            // Host cannot be dropped on the wire; removing it falls back to the destination's authority.
            message.Headers.Remove("Host");
            return;
        }

        // HttpHeaders.Remove throws for a header of the other kind, so pick the collection first.
        if (IsContentHeader(name))
        {
            message.Content?.Headers.Remove(name);
        }
        else
        {
            message.Headers.Remove(name);
        }
    }

    private static bool IsContentHeader(string name) => name.ToUpperInvariant() switch
    {
        "ALLOW" or "CONTENT-DISPOSITION" or "CONTENT-ENCODING" or "CONTENT-LANGUAGE" or "CONTENT-LENGTH" or "CONTENT-LOCATION"
            or "CONTENT-MD5" or "CONTENT-RANGE" or "CONTENT-TYPE" or "EXPIRES" or "LAST-MODIFIED" => true,
        _ => false,
    };

    private static bool IsHost(string name) =>
        string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) || string.Equals(name, ":authority", StringComparison.OrdinalIgnoreCase);
}
