using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>Where snapshots take the CA's trust bundle from; a change must reach every proxy.</summary>
internal interface ITrustBundleSource
{
    /// <summary>The bundle to publish now; null when there is no CA (yet).</summary>
    MeshTrustBundle? Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    event Action? Changed;
}
