using Runtime.Abstractions.Validation;

namespace Runtime.Cli.Api;

/// <summary>The server's answer to an apply: every resource's outcome and any warnings.</summary>
internal sealed record ApplyReply(IReadOnlyList<AppliedResource> Results, IReadOnlyList<ValidationIssue> Warnings);
