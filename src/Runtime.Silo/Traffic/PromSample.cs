namespace Runtime.Silo.Traffic;

/// <summary>One element of an instant vector Prometheus answered: its labels and its value.</summary>
/// <param name="Labels">The series' labels (those the query kept).</param>
/// <param name="Value">The sample's value.</param>
internal sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The value of <paramref name="name"/>, <c>unknown</c> when absent or empty (Istio's spelling).</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) && value.Length > 0 ? value : EdgeKey.Unknown;
}
