namespace Runtime.Silo.Traffic;

/// <summary>Prometheus could not be reached, or did not answer a query with a usable result.</summary>
internal sealed class PrometheusQueryException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public PrometheusQueryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A failure without a description (for serializers).</summary>
    public PrometheusQueryException()
    {
    }
}
