using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>An upstream handler that reads the whole request body in pooled chunks and answers with its byte count.</summary>
internal static class CountingUpstream
{
    public static async Task CountBodyAsync(HttpContext context)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await context.Response.WriteAsync(total.ToString(CultureInfo.InvariantCulture));
    }
}
