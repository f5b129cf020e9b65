namespace Runtime.Silo.Hosting;

/// <summary>Endpoint metadata: the endpoint answers only on connections from this listener.</summary>
/// <param name="Listener">The listener the endpoint belongs to.</param>
internal sealed record ListenerAffinity(ListenerKind Listener);
