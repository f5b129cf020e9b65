namespace Runtime.Sidecar.Hosting;

/// <summary>Which of the sidecar's listeners a connection arrived on.</summary>
internal enum ListenerKind
{
    Outbound,
    Inbound,
    Admin,
}
