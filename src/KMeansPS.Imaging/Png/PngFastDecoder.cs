using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KMeansPS.Imaging.Png.Filters;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// A fast decoder for the common PNG: 8-bit grey, grey+alpha, RGB or RGBA, not interlaced, no tRNS, with the
/// IDAT chunks in one run. It gives exactly ImageSharp 2.1's pixels. Anything it is not sure of is refused:
/// <see cref="PngPlan.TryRead"/> returns null, or <see cref="Decode"/> returns false, and the caller uses ImageSharp,
/// which gives the proper error or its own lenient result.
/// </summary>
internal static class PngFastDecoder
{
    /// <summary>
    /// Decodes the planned file into <paramref name="destination"/> (row-major, A = 255 where the file has no
    /// alpha), calling <paramref name="rowsDone"/> with the number of finished rows after each batch of rows and
    /// at the end with the height. Returns false on anything wrong (corrupt or short zlib data, a bad filter
    /// type, an IDAT CRC mismatch); the destination then holds a partial result to be discarded.
    /// </summary>
    /// <remarks>
    /// <paramref name="file"/> must be the array the plan was made from. Exceptions thrown by
    /// <paramref name="rowsDone"/> itself are passed on, not taken for a bad file.
    /// </remarks>
    /// <exception cref="OperationCanceledException">Cancelled; checked between batches of rows.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has fewer than Width x Height pixels.</exception>
    internal static bool Decode(PngPlan plan, byte[] file, Rgba32[] destination, Action<int>? rowsDone, CancellationToken cancellationToken) =>
        DecodeWith(plan, file, destination, rowsDone, BestKernel, cancellationToken);

    /// <summary>Which code undoes the filters; every one gives the same pixels.</summary>
    internal enum Kernel
    {
        /// <summary>The reference: byte by byte, as the specification writes it.</summary>
        Scalar,
        /// <summary>Vector128; runs of Paeth rows two at a time.</summary>
        Vector128,
        /// <summary>As <see cref="Vector128"/>, with runs of four Paeth rows in one Vector256.</summary>
        Vector256,
    }

    internal static Kernel BestKernel =>
        Vector256.IsHardwareAccelerated ? Kernel.Vector256 : Vector128.IsHardwareAccelerated ? Kernel.Vector128 : Kernel.Scalar;

    /// <summary>As <see cref="Decode"/>, with the given <paramref name="kernel"/>.</summary>
    internal static bool DecodeWith(PngPlan plan, byte[] file, Rgba32[] destination, Action<int>? rowsDone, Kernel kernel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length < (long)plan.Width * plan.Height)
            throw new ArgumentException($"Expected room for {(long)plan.Width * plan.Height} pixels, got {destination.Length}.", nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        if (plan.BitDepth != 8) return false; // 16-bit files are PngWideDecoder's
        var progress = new RowProgress(plan.Height, rowsDone, cancellationToken);
        try
        {
            using var zlib = new ZLibStream(ZlibTrailer.Padded(new IdatStream(file, plan.IdatStart, plan.IdatEnd)), CompressionMode.Decompress);
            Span<uint> pixels = MemoryMarshal.Cast<Rgba32, uint>(destination.AsSpan(0, plan.Width * plan.Height));
            bool quads = kernel == Kernel.Vector256;
            bool decoded = kernel == Kernel.Scalar ? DecodeScalar(plan, zlib, pixels, progress) : plan.ColorType switch
            {
                0 => DecodeVector<GreyLayout>(plan, zlib, pixels, quads, progress),
                2 => DecodeVector<RgbLayout>(plan, zlib, pixels, quads, progress),
                4 => DecodeVector<GreyAlphaLayout>(plan, zlib, pixels, quads, progress),
                _ => DecodeVector<RgbaLayout>(plan, zlib, pixels, quads, progress),
            };
            // A failed checksum throws: the full check (ImageDecoder) then says what is wrong.
            if (decoded) ZlibTrailer.ReadsToItsEnd(zlib);
            return decoded;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !progress.InCallback)
        {
            // Corrupt zlib data (InvalidDataException), a CRC mismatch, or a file that does not match the plan.
            return false;
        }
    }

    private static bool ReadScanline(Stream zlib, byte[] scanline, int length) =>
        zlib.ReadAtLeast(scanline.AsSpan(0, length), length, throwOnEndOfStream: false) == length;

    /// <summary>
    /// The reference: each scanline unfiltered in place against the previous one, byte by byte as the PNG
    /// specification writes it, then widened to RGBA.
    /// </summary>
    private static bool DecodeScalar(PngPlan plan, Stream zlib, Span<uint> pixels, RowProgress progress)
    {
        int width = plan.Width, bpp = plan.BytesPerPixel, rowBytes = width * bpp;
        byte[] current = new byte[rowBytes + 1], previous = new byte[rowBytes + 1];
        for (int y = 0; y < plan.Height; y++)
        {
            if (zlib.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) != current.Length) return false;
            if (!ReferenceFilters.Undo(current[0], current.AsSpan(1), previous.AsSpan(1), bpp)) return false;
            Span<uint> row = pixels.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<byte> s = current.AsSpan(1 + x * bpp, bpp);
                Rgba32 pixel = plan.ColorType switch
                {
                    0 => new Rgba32(s[0], s[0], s[0], 255),
                    4 => new Rgba32(s[0], s[0], s[0], s[1]),
                    2 => new Rgba32(s[0], s[1], s[2], 255),
                    _ => new Rgba32(s[0], s[1], s[2], s[3]),
                };
                row[x] = pixel.PackedValue;
            }
            (current, previous) = (previous, current);
            progress.RowsFinished(y + 1);
        }
        return true;
    }

    /// <summary>
    /// The fast path works on whole pixels: each is widened to four byte lanes (R, G, B, A; grey in R) before it
    /// is unfiltered, and the previous row is the destination's. The filters act on each lane alone, so the
    /// lanes a format does not use (alpha of RGB, G and B of grey) may hold anything while the row is
    /// unfiltered; <see cref="IPixelLayout.Fix(uint)"/> sets them as it stores.
    /// </summary>
    private static bool DecodeVector<TLayout>(PngPlan plan, Stream zlib, Span<uint> pixels, bool quads, RowProgress progress)
        where TLayout : IPixelLayout
    {
        int width = plan.Width, height = plan.Height, length = width * TLayout.BytesPerPixel + 1;
        // Inflate up to 128 KB or a batch of scanlines per call (a multiple of 4, so Paeth rows group well); the
        // vector loads of an RGB row read up to 16 bytes past its last pixel.
        int rowsPerBlock = Math.Max(4, Math.Min(RowProgress.RowsPerBatch, (1 << 17) / length) & ~3);
        if ((long)rowsPerBlock * length + 16 > Array.MaxLength) return false; // a row of over 500 MB: not the common case
        byte[] block = GC.AllocateUninitializedArray<byte>(rowsPerBlock * length + 16);
        uint[] zeroRow = new uint[width];
        for (int y = 0; y < height;)
        {
            int rows = Math.Min(rowsPerBlock, height - y);
            if (!ReadScanline(zlib, block, rows * length)) return false;
            for (int i = 0; i < rows; i++, y++)
            {
                ref byte raw = ref block[i * length + 1];
                ref uint destination = ref pixels[y * width];
                ref uint above = ref y == 0 ? ref zeroRow[0] : ref pixels[(y - 1) * width];
                switch (block[i * length])
                {
                    case 0: NoneFilter.Undo<TLayout>(ref raw, ref destination, width); break;
                    case 1: SubFilter.Undo<TLayout>(ref raw, ref destination, width); break;
                    case 2: UpFilter.Undo<TLayout>(ref raw, ref above, ref destination, width); break;
                    case 3: AverageFilter.Undo<TLayout>(ref raw, ref above, ref destination, width); break;
                    case 4:
                        // Consecutive Paeth rows are done together, each lower one a pixel behind the one above:
                        // two or four times the work per step of the pixel-to-pixel dependency chain.
                        if (quads && i + 3 < rows && block[(i + 1) * length] == 4 && block[(i + 2) * length] == 4 && block[(i + 3) * length] == 4)
                        {
                            PaethFilter.UndoQuad<TLayout>(block, i * length + 1, length, ref above, pixels.Slice(y * width, 4 * width), width);
                            i += 3;
                            y += 3;
                        }
                        else if (i + 1 < rows && block[(i + 1) * length] == 4)
                        {
                            PaethFilter.UndoPair<TLayout>(ref raw, ref block[(i + 1) * length + 1], ref above, ref destination, ref pixels[(y + 1) * width], width);
                            i++;
                            y++;
                        }
                        else
                        {
                            PaethFilter.Undo<TLayout>(ref raw, ref above, ref destination, width);
                        }
                        break;
                    default: return false;
                }
            }
            progress.RowsFinished(y);
        }
        return true;
    }
}
