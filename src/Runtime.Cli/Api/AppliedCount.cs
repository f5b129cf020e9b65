using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Api;

/// <summary>How many proxies ACKed a resource at its current version, out of those that should hold it.</summary>
/// <param name="Key">The resource.</param>
/// <param name="Applied">Proxies whose ACKed snapshot holds it at its current resourceVersion.</param>
/// <param name="Proxies">Proxies that should hold it.</param>
internal sealed record AppliedCount(ResourceKey Key, int Applied, int Proxies)
{
    public override string ToString() => $"{Applied}/{Proxies}";
}
