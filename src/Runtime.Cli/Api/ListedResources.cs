using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Api;

/// <summary>A list reply: the resources and the store revision they were read at.</summary>
internal sealed record ListedResources(IReadOnlyList<MeshResource> Resources, long Revision);
