namespace Runtime.Abstractions.Analysis;

/// <summary>One family of cross-resource checks.</summary>
internal interface IAnalysisCheck
{
    void Run(AnalysisContext context, FindingSink findings);
}
