using System.Globalization;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// MSH0501: the route <c>timeout</c> bounds the request including every retry, so when
/// <c>attempts × perTryTimeout</c> is longer than it, the last attempts can be cut off or never start.
/// </summary>
internal sealed class RetryBudgetCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        foreach (var vs in context.VirtualServices)
        {
            foreach (var (route, i) in (vs.Spec.Http ?? []).Select((r, i) => (r, i)))
            {
                if (route.Timeout is not { Value: var timeout } || timeout <= TimeSpan.Zero
                    || route.Retries is not { Attempts: int attempts and > 0, PerTryTimeout: { Value: var perTry } perTryText } || perTry <= TimeSpan.Zero)
                {
                    continue;
                }

                var total = perTry * attempts;
                if (total <= timeout)
                {
                    continue;
                }

                var fits = (int)(timeout.Ticks / perTry.Ticks);
                findings.Report(vs, AnalysisCodes.RetriesExceedTimeout, $"spec.http[{i}].retries.perTryTimeout",
                    $"{attempts} attempts × perTryTimeout {perTryText} = {Format(total)} exceeds the route timeout {route.Timeout.Value.Text}, which ends the request first: only {fits} full attempt(s) fit",
                    $"raise timeout to at least {Format(total)}, or lower attempts or perTryTimeout");
            }
        }
    }

    private static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms");
}
