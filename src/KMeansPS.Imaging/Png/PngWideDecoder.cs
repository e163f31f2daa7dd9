using System.IO.Compression;
using KMeansPS.Imaging.Png.Filters;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// 16-bit grey, grey+alpha, RGB or RGBA PNGs of the layouts <see cref="PngPlan"/> accepts (not interlaced, no tRNS,
/// one IDAT run), decoded straight into 16-bit pixels: ImageSharp would first hold the whole image at 8 bytes a pixel
/// and then be copied, twice the memory at the decode's peak for a source that keeps its 16-bit pixels
/// (<see cref="RgbaImage.Wide"/>). Each scanline is unfiltered by the specification's own byte-wise filters
/// (<see cref="ReferenceFilters"/>); the pixels are the samples, as ImageSharp gives them. Anything wrong (corrupt
/// or short zlib data, a bad filter type, a CRC mismatch) returns false, and the caller asks ImageSharp, which gives
/// the proper error.
/// </summary>
internal static class PngWideDecoder
{
    /// <summary>Decodes the planned 16-bit file into <paramref name="destination"/> (row-major, alpha 65535 where the file has none).</summary>
    /// <exception cref="OperationCanceledException">Cancelled; checked every 64 rows.</exception>
    internal static bool Decode(PngPlan plan, byte[] file, Rgba64[] destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        if (plan.BitDepth != 16) return false;
        if (destination.Length < (long)plan.Width * plan.Height)
            throw new ArgumentException($"Expected room for {(long)plan.Width * plan.Height} pixels, got {destination.Length}.", nameof(destination));
        int width = plan.Width, bpp = plan.BytesPerPixel, rowBytes = width * bpp;
        byte[] current = new byte[rowBytes + 1], previous = new byte[rowBytes + 1];
        try
        {
            using var zlib = new ZLibStream(ZlibTrailer.Padded(new IdatStream(file, plan.IdatStart, plan.IdatEnd)), CompressionMode.Decompress);
            for (int y = 0; y < plan.Height; y++)
            {
                if ((y & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (zlib.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) != current.Length) return false;
                if (!ReferenceFilters.Undo(current[0], current.AsSpan(1), previous.AsSpan(1), bpp)) return false;
                Widen(plan.ColorType, current.AsSpan(1, rowBytes), destination.AsSpan(y * width, width));
                (current, previous) = (previous, current);
            }
            ZlibTrailer.ReadsToItsEnd(zlib); // a failed checksum throws: the full check then says what is wrong
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Corrupt zlib data (InvalidDataException), a CRC mismatch, or a file that does not match the plan.
            return false;
        }
    }

    /// <summary>One unfiltered scanline of big-endian samples to RGBA pixels.</summary>
    private static void Widen(byte colorType, ReadOnlySpan<byte> samples, Span<Rgba64> row)
    {
        for (int x = 0; x < row.Length; x++)
        {
            switch (colorType)
            {
                case 0:
                    ushort grey = Sample(samples, x);
                    row[x] = new Rgba64(grey, grey, grey, ushort.MaxValue);
                    break;
                case 4:
                    ushort g = Sample(samples, 2 * x);
                    row[x] = new Rgba64(g, g, g, Sample(samples, 2 * x + 1));
                    break;
                case 2:
                    row[x] = new Rgba64(Sample(samples, 3 * x), Sample(samples, 3 * x + 1), Sample(samples, 3 * x + 2), ushort.MaxValue);
                    break;
                default:
                    row[x] = new Rgba64(Sample(samples, 4 * x), Sample(samples, 4 * x + 1), Sample(samples, 4 * x + 2), Sample(samples, 4 * x + 3));
                    break;
            }
        }
    }

    private static ushort Sample(ReadOnlySpan<byte> samples, int index) => (ushort)((samples[2 * index] << 8) | samples[2 * index + 1]);
}
