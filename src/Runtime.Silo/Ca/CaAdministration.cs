using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Grpc;

namespace Runtime.Silo.Ca;

/// <summary>
/// Who may administer the CA. Minting a bootstrap token hands out any workload identity and a root rotation
/// changes what every sidecar trusts, so both are accepted only from the control plane's own host (a loopback
/// caller), as Kuma keeps its token endpoints local. Signing and status stay open: a CSR is only signed for an
/// identity the caller proves.
/// </summary>
internal static class CaAdministration
{
    /// <summary>Whether a call from <paramref name="remote"/> may administer the CA.</summary>
    public static bool IsAllowed(IPAddress? remote)
    {
        if (remote is null)
        {
            return false;
        }

        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    /// <summary>Throws PERMISSION_DENIED, naming the caller, unless the call came from this host.</summary>
    public static void Require(HttpContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        if (!IsAllowed(remote))
        {
            throw new GrpcException(
                GrpcStatusCode.PermissionDenied,
                $"{operation} is only accepted from the control plane's own host, and this call came from {remote?.ToString() ?? "an unknown address"}; run meshctl on that host (or through an SSH tunnel or port-forward to it)");
        }
    }
}
