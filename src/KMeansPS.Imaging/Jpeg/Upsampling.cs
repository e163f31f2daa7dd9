namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// libjpeg-turbo's default ("fancy") upsampling of a subsampled component, in integers with its rounding biases:
/// a triangle filter that weighs the nearer sample 3/4 and the further 1/4 in each doubled direction. Rows given
/// "edged" hold one extra sample on each side, a copy of the first and of the last sample, which is how the filter
/// treats the edges. Each method here is the reference its vector kernels are tested against.
/// </summary>
internal static class Upsampling
{
    /// <summary>
    /// Doubles a row: output 2i is (3 s[i] + s[i-1] + 1) / 4 and output 2i+1 is (3 s[i] + s[i+1] + 2) / 4, rounded
    /// down. <paramref name="edged"/> holds s[-1] to s[n]; the output gets 2n samples.
    /// </summary>
    internal static void H2V1(JpegKernel kernel, ReadOnlySpan<byte> edged, int n, Span<byte> output)
    {
        Check(edged, n, output, 2 * n);
        int done = kernel switch
        {
            JpegKernel.Vector256 => UpsamplingVector256.H2V1(edged, n, output),
            JpegKernel.Vector128 => UpsamplingVector128.H2V1(edged, n, output),
            _ => 0,
        };
        H2V1Scalar(edged, done, n, output);
    }

    /// <summary>The reference for samples <paramref name="from"/> to n - 1.</summary>
    internal static void H2V1Scalar(ReadOnlySpan<byte> edged, int from, int n, Span<byte> output)
    {
        for (int i = from; i < n; i++)
        {
            int nearer = 3 * edged[i + 1];
            output[2 * i] = (byte)((nearer + edged[i] + 1) >> 2);
            output[2 * i + 1] = (byte)((nearer + edged[i + 2] + 2) >> 2);
        }
    }

    /// <summary>
    /// Doubles a row both ways: with column sums c[i] = 3 near[i] + far[i] (near: the input row this output row
    /// lies in; far: the row above it for an even output row, below for an odd one), output 2i is
    /// (3 c[i] + c[i-1] + 8) / 16 and output 2i+1 is (3 c[i] + c[i+1] + 7) / 16, rounded down.
    /// </summary>
    internal static void H2V2(JpegKernel kernel, ReadOnlySpan<byte> nearEdged, ReadOnlySpan<byte> farEdged, int n, Span<byte> output)
    {
        Check(nearEdged, n, output, 2 * n);
        Check(farEdged, n, output, 2 * n);
        int done = kernel switch
        {
            JpegKernel.Vector256 => UpsamplingVector256.H2V2(nearEdged, farEdged, n, output),
            JpegKernel.Vector128 => UpsamplingVector128.H2V2(nearEdged, farEdged, n, output),
            _ => 0,
        };
        H2V2Scalar(nearEdged, farEdged, done, n, output);
    }

    internal static void H2V2Scalar(ReadOnlySpan<byte> nearEdged, ReadOnlySpan<byte> farEdged, int from, int n, Span<byte> output)
    {
        for (int i = from; i < n; i++)
        {
            int before = 3 * nearEdged[i] + farEdged[i];
            int here = 3 * nearEdged[i + 1] + farEdged[i + 1];
            int after = 3 * nearEdged[i + 2] + farEdged[i + 2];
            output[2 * i] = (byte)((3 * here + before + 8) >> 4);
            output[2 * i + 1] = (byte)((3 * here + after + 7) >> 4);
        }
    }

    /// <summary>
    /// Doubles a column: each output sample is (3 near + far + bias) / 4, rounded down, with bias 1 for an even
    /// output row (far is the row above) and 2 for an odd one (far is the row below).
    /// </summary>
    internal static void H1V2(JpegKernel kernel, ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, int bias, int n, Span<byte> output)
    {
        if (near.Length < n || far.Length < n || output.Length < n) throw new ArgumentException("A row is too short.");
        int done = kernel switch
        {
            JpegKernel.Vector256 => UpsamplingVector256.H1V2(near, far, bias, n, output),
            JpegKernel.Vector128 => UpsamplingVector128.H1V2(near, far, bias, n, output),
            _ => 0,
        };
        H1V2Scalar(near, far, bias, done, n, output);
    }

    internal static void H1V2Scalar(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, int bias, int from, int n, Span<byte> output)
    {
        for (int i = from; i < n; i++) output[i] = (byte)((3 * near[i] + far[i] + bias) >> 2);
    }

    /// <summary>
    /// Replication by whole factors (libjpeg's int_upsample, and its h2v1/h2v2 box filters for rows of at most
    /// two samples): output x is s[x / <paramref name="factor"/>].
    /// </summary>
    internal static void Replicate(ReadOnlySpan<byte> row, int factor, Span<byte> output, int width)
    {
        for (int x = 0; x < width; x++) output[x] = row[x / factor];
    }

    private static void Check(ReadOnlySpan<byte> edged, int n, Span<byte> output, int outputLength)
    {
        if (n < 1 || edged.Length < n + 2 || output.Length < outputLength) throw new ArgumentException("A row is too short.");
    }
}
