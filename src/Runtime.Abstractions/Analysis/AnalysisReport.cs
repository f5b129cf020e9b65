namespace Runtime.Abstractions.Analysis;

/// <summary>The result of one analysis.</summary>
/// <param name="Findings">Every finding, ordered by resource and then by path.</param>
/// <param name="ResourceCount">How many distinct resources were analyzed.</param>
/// <param name="UncheckedHosts">Cluster-local hosts that could not be checked against the registry (offline only).</param>
public sealed record AnalysisReport(IReadOnlyList<Finding> Findings, int ResourceCount, IReadOnlyList<string> UncheckedHosts);
