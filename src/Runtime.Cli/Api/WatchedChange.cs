using Runtime.Abstractions.Resources;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>One event of a watch; <see cref="Resource"/> is null for bookmarks.</summary>
internal sealed record WatchedChange(V1.WatchEventType Type, MeshResource? Resource, long Revision);
