namespace Runtime.Silo.Store;

/// <summary>The outcome of <see cref="IConfigStore.ApplyAsync"/>.</summary>
/// <param name="Results">One entry per input resource, in input order.</param>
/// <param name="Revision">The store revision after the apply (for a dry run: the revision it would have reached).</param>
/// <param name="DryRun">Whether nothing was written.</param>
public sealed record ApplyResult(IReadOnlyList<ResourceApplyResult> Results, long Revision, bool DryRun);
