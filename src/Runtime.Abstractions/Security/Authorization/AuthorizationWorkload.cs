namespace Runtime.Abstractions.Security.Authorization;

/// <summary>The workload whose inbound requests are authorized: what policy selectors and targetRefs are matched against.</summary>
/// <param name="Namespace">The workload's namespace.</param>
/// <param name="Service">Its service name (a <c>targetRef</c> of kind Service names it).</param>
/// <param name="Labels">Its labels (a <c>selector</c> matches them).</param>
public sealed record AuthorizationWorkload(string Namespace, string Service, IReadOnlyDictionary<string, string> Labels);
