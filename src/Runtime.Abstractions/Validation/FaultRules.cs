using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Fault injection: a delay and/or an abort, with valid durations, statuses and percentages.</summary>
internal static class FaultRules
{
    public static void Validate(string path, HttpFaultInjection? fault, IssueSink issues)
    {
        if (fault is null)
        {
            return;
        }

        if (fault.Delay is null && fault.Abort is null)
        {
            issues.Error(path, "fault injection needs a delay, an abort or both", "add delay: { fixedDelay: 5s, percentage: { value: 10 } }");
        }

        if (fault.Delay is FaultDelay delay)
        {
            if (delay.FixedDelay is null && delay.ExponentialDelay is null)
            {
                // Istio accepts this; it injects no delay.
                issues.Warning($"{path}.delay.fixedDelay", "delay sets no fixedDelay, so no delay is injected", "add fixedDelay: 5s");
            }

            DurationRules.Validate($"{path}.delay.fixedDelay", delay.FixedDelay, issues);
            DurationRules.Validate($"{path}.delay.exponentialDelay", delay.ExponentialDelay, issues);
            PercentRules.Validate($"{path}.delay.percentage", delay.Percentage, issues);
            PercentRules.ValidateRange($"{path}.delay.percent", delay.Percent, issues);
        }

        if (fault.Abort is FaultAbort abort)
        {
            var kinds = (abort.HttpStatus is null ? 0 : 1) + (abort.GrpcStatus is null ? 0 : 1) + (abort.Http2Error is null ? 0 : 1);
            if (kinds == 0)
            {
                // Istio only warns: the abort is configured but does nothing.
                issues.Warning($"{path}.abort", "abort sets none of httpStatus, grpcStatus and http2Error, so nothing is aborted", "set one, for example httpStatus: 503");
            }
            else if (kinds > 1)
            {
                issues.Error($"{path}.abort", "abort sets more than one of httpStatus, grpcStatus and http2Error", "set exactly one, for example httpStatus: 503");
            }

            // Istio's range check lets 600 through; so do we.
            if (abort.HttpStatus is int status && status is < 200 or > 600)
            {
                issues.Error($"{path}.abort.httpStatus", $"httpStatus {status} is outside 200..599", "use an HTTP status such as 503");
            }

            PercentRules.Validate($"{path}.abort.percentage", abort.Percentage, issues);
        }
    }
}
