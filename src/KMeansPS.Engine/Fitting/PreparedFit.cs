using System.Diagnostics;
using System.Runtime.InteropServices;
using KMeansPS.Engine.Memory;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Rows checked, transposed, chunked and measured once for several fits of one K: a palette fits the same colours
/// from four to sixteen seedings and a move, and each <see cref="KMeans.Fit"/> would check the weights, transpose
/// the rows, look for the first K distinct rows and sum the mean variance again (about 5 % of a GUI screenshot's
/// call at K = 16). Each <see cref="Fit"/> gives the bits of <see cref="KMeans.Fit"/> on the same rows, weights and
/// options with <see cref="KMeansOptions.DistinctRows"/> set (the rows are fitted as they are). Fits only read what
/// is prepared, so several may run at once. The rows stay pinned until <see cref="Dispose"/> (the centre sums read
/// them in place).
/// </summary>
internal sealed class PreparedFit : IDisposable
{
    private readonly PointSet _points;
    private readonly List<int> _distinct;
    private readonly int _k;
    private GCHandle _pin;
    private bool _disposed;

    /// <summary>
    /// Prepares <paramref name="count"/> rows of <paramref name="dimensions"/> floats from the start of
    /// <paramref name="data"/>, weighted by the first <paramref name="count"/> of <paramref name="weights"/> (null:
    /// all ones), for fits of <paramref name="k"/> centres. Throws as <see cref="KMeans.Fit"/> does for rows or
    /// weights it refuses.
    /// </summary>
    internal unsafe PreparedFit(float[] data, int count, int dimensions, float[]? weights, int k, int? maxDegreeOfParallelism,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ReadOnlySpan<float> rows = data.AsSpan(0, checked(count * dimensions));
        ReadOnlySpan<float> w = weights is null ? default : weights.AsSpan(0, count);
        InputValidator.Shape(rows, dimensions, w);
        int degree = InputValidator.Degree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        _points = PointSet.FromRows(rows, dimensions, w, degree, token); // checks the values and the weights
        _k = k;
        _distinct = KMeans.ChunkFor(_points, k); // the chunking KMeans.Fit would pick, so the same bits
        _pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        _points.Rows = (float*)_pin.AddrOfPinnedObject();
    }

    /// <summary>A fit with <paramref name="options"/>, whose K must be the prepared one.</summary>
    internal KMeansResult Fit(KMeansOptions options, CancellationToken token = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        InputValidator.Options(options, _points.Dimensions);
        if (options.K != _k) throw new ArgumentException($"These rows were prepared for K = {_k}, not {options.K}.", nameof(options));
        token.ThrowIfCancellationRequested();
        return KMeans.FitChunked(_points, _distinct, options, Stopwatch.StartNew(), token);
    }

    /// <summary>Unpins the rows and hands the planes to the next fit of this size.</summary>
    public unsafe void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _points.Rows = null;
        _pin.Free();
        LargeBufferCache.Return(_points.Planes);
    }
}
