namespace Runtime.Abstractions.Analysis;

/// <summary>Collects the findings of every check; the level always comes from the code.</summary>
internal sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    public void Report(LocatedResource resource, string code, string path, string message, string fix) =>
        _findings.Add(new Finding
        {
            Code = code,
            Level = AnalysisCodes.LevelOf(code),
            Resource = resource.Resource.Key,
            Source = resource.Source,
            Line = resource.LineOf(path),
            Path = path,
            Message = message,
            Fix = fix,
        });

    public void Report<TSpec>(AnalyzedResource<TSpec> resource, string code, string path, string message, string fix) =>
        Report(resource.Located, code, path, message, fix);
}
