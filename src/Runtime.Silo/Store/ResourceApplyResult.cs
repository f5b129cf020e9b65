using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>The outcome of an apply for one resource.</summary>
/// <param name="Resource">The resource as stored (or as it would be stored, for a dry run), bookkeeping filled in.</param>
/// <param name="Outcome">Created, configured or unchanged.</param>
public sealed record ResourceApplyResult(MeshResource Resource, ApplyOutcome Outcome);
