using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Api;

/// <summary>One resource of an apply and what happened to it.</summary>
internal sealed record AppliedResource(MeshResource Resource, ApplyOutcome Outcome);
