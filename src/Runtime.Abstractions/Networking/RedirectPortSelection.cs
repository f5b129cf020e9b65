namespace Runtime.Abstractions.Networking;

/// <summary>How a redirect picks its port.</summary>
public enum RedirectPortSelection
{
    /// <summary><c>FROM_PROTOCOL_DEFAULT</c>: 80 for http, 443 for https.</summary>
    FromProtocolDefault,

    /// <summary><c>FROM_REQUEST_PORT</c>: The port of the incoming request.</summary>
    FromRequestPort,
}
