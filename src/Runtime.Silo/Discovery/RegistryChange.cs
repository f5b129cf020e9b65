namespace Runtime.Silo.Discovery;

/// <summary>One change of the endpoint registry: an event for snapshot computation.</summary>
/// <param name="Type">Registered, updated, deregistered or expired.</param>
/// <param name="Proxy">The registration after the change (for removals: before).</param>
internal sealed record RegistryChange(RegistryChangeType Type, RegisteredProxy Proxy)
{
    public bool IsRemoval => Type is RegistryChangeType.Deregistered or RegistryChangeType.Expired;
}
