using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// A fast decoder for the common PNG: 8-bit grey, grey+alpha, RGB or RGBA, not interlaced, no tRNS, with the
/// IDAT chunks in one run. It gives exactly ImageSharp 2.1's pixels. Anything it is not sure of is refused:
/// <see cref="TryPlan"/> returns null, or <see cref="Decode"/> returns false, and the caller uses ImageSharp,
/// which gives the proper error or its own lenient result.
/// </summary>
internal static class PngFastDecoder
{
    /// <summary>What <see cref="TryPlan"/> found: the size, the colour type, and where the IDAT run lies.</summary>
    /// <param name="Width">Pixels per row, at least 1.</param>
    /// <param name="Height">Rows, at least 1.</param>
    /// <param name="ColorType">0 grey, 2 RGB, 4 grey+alpha or 6 RGBA.</param>
    /// <param name="IdatStart">Offset of the first IDAT chunk (its length field).</param>
    /// <param name="IdatEnd">Offset just past the last IDAT chunk's CRC.</param>
    internal sealed record Plan(int Width, int Height, byte ColorType, int IdatStart, int IdatEnd)
    {
        public int BytesPerPixel => ColorType switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 };
    }

    private const uint IHDR = 0x49484452, IDAT = 0x49444154, IEND = 0x49454E44, tRNS = 0x74524E53, pHYs = 0x70485973;
    private const uint tEXt = 0x74455874, zTXt = 0x7A545874, iTXt = 0x69545874, eXIf = 0x65584966;

    /// <summary>Rows decoded between two calls of the progress callback.</summary>
    private const int RowsPerBatch = 32;

    /// <summary>
    /// Reads the chunk layout. Returns null for any file this decoder does not handle exactly as ImageSharp does,
    /// including every malformed one it can detect without inflating; it never throws.
    /// </summary>
    internal static Plan? TryPlan(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8 + 25 + 12 + 12 || !file[..8].SequenceEqual(PalettePngEncoder.Signature)) return null;
        int width = 0, height = 0, idatStart = -1, idatEnd = -1;
        byte colorType = 0;
        bool sawExif = false;
        int p = 8;
        for (int index = 0; ; index++)
        {
            // A chunk: 4-byte length, 4-byte type, data, 4-byte CRC over type and data.
            if (file.Length - p < 12) return null;
            int length = BinaryPrimitives.ReadInt32BigEndian(file[p..]);
            if (length < 0 || length > file.Length - p - 12) return null;
            uint type = BinaryPrimitives.ReadUInt32BigEndian(file[(p + 4)..]);
            ReadOnlySpan<byte> data = file.Slice(p + 8, length);
            bool critical = (type & 0x20000000) == 0; // upper-case first letter
            if (index == 0 && type != IHDR) return null;
            // IDAT CRCs are checked while inflating; those of the other critical chunks here, as ImageSharp does.
            if (critical && type != IDAT
                && Crc32.Compute(file.Slice(p + 4, length + 4)) != BinaryPrimitives.ReadUInt32BigEndian(file[(p + 8 + length)..]))
                return null;
            switch (type)
            {
                case IHDR:
                    if (index != 0 || length != 13) return null;
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    colorType = data[9];
                    // Bit depth 8; compression, filter method and interlace all 0.
                    if (width <= 0 || height <= 0 || (long)width * height > Array.MaxLength || width > (int.MaxValue - 64) / 4
                        || data[8] != 8 || colorType is not (0 or 2 or 4 or 6) || data[10] != 0 || data[11] != 0 || data[12] != 0)
                        return null;
                    break;
                case IDAT:
                    // ImageSharp 2.1 reads the zlib header straight from the first IDAT, and takes an empty IDAT
                    // for the end of the stream: leave those files to it.
                    if (length == 0) return null;
                    if (idatStart < 0)
                    {
                        if (length < 2) return null;
                        idatStart = p;
                    }
                    else if (idatEnd != p) return null; // IDATs split by another chunk
                    idatEnd = p + 12 + length;
                    break;
                case IEND:
                    if (length != 0 || idatStart < 0) return null;
                    return new Plan(width, height, colorType, idatStart, idatEnd);
                case tRNS: // a transparent colour: ImageSharp's business
                    return null;
                case pHYs: // ImageSharp reads 9 bytes without checking
                    if (length < 9) return null;
                    break;
                case eXIf: // a second profile would be merged, which parses both
                    if (sawExif) return null;
                    sawExif = true;
                    break;
                case tEXt:
                    if (IsLegacyExifText(data)) return null;
                    break;
                case iTXt:
                    if (!IsSimpleInternationalText(data)) return null;
                    break;
                case zTXt: // compressed text is inflated by ImageSharp and may fail there
                    return null;
                default:
                    if (critical) return null; // PLTE, or a critical chunk nobody knows
                    break;
            }
            p += 12 + length;
        }
    }

    /// <summary>ImageSharp parses a "Raw profile type exif" text eagerly, and can throw on a bad one.</summary>
    private static bool IsLegacyExifText(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> keyword = "raw profile type exif"u8;
        int zero = data.IndexOf((byte)0);
        if (zero < 0) return false;
        ReadOnlySpan<byte> name = data[..zero];
        if (name.Length != keyword.Length) return false;
        for (int i = 0; i < name.Length; i++)
            if ((name[i] | 0x20) != keyword[i] && !(keyword[i] == (byte)' ' && name[i] == (byte)' '))
                return false;
        return true;
    }

    /// <summary>
    /// An uncompressed iTXt whose fields ImageSharp can slice without an exception; anything else is left to it.
    /// </summary>
    private static bool IsSimpleInternationalText(ReadOnlySpan<byte> data)
    {
        int keyword = data.IndexOf((byte)0);
        if (keyword < 1 || keyword > 79 || keyword + 2 >= data.Length) return false;
        if (data[keyword + 1] != 0 || data[keyword + 2] != 0) return false;
        ReadOnlySpan<byte> rest = data[(keyword + 3)..];
        int language = rest.IndexOf((byte)0);
        return language >= 0 && rest[(language + 1)..].IndexOf((byte)0) >= 0;
    }

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
    internal static bool Decode(Plan plan, byte[] file, Rgba32[] destination, Action<int>? rowsDone, CancellationToken cancellationToken) =>
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
    internal static bool DecodeWith(Plan plan, byte[] file, Rgba32[] destination, Action<int>? rowsDone, Kernel kernel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length < (long)plan.Width * plan.Height)
            throw new ArgumentException($"Expected room for {(long)plan.Width * plan.Height} pixels, got {destination.Length}.", nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        var progress = new Progress(plan.Height, rowsDone, cancellationToken);
        try
        {
            using var zlib = new ZLibStream(new IdatStream(file, plan.IdatStart, plan.IdatEnd), CompressionMode.Decompress);
            Span<uint> pixels = MemoryMarshal.Cast<Rgba32, uint>(destination.AsSpan(0, plan.Width * plan.Height));
            if (kernel == Kernel.Scalar) return DecodeScalar(plan, zlib, pixels, progress);
            bool quads = kernel == Kernel.Vector256;
            return plan.ColorType switch
            {
                0 => DecodeVector<Grey>(plan, zlib, pixels, quads, progress),
                2 => DecodeVector<Rgb>(plan, zlib, pixels, quads, progress),
                4 => DecodeVector<GreyAlpha>(plan, zlib, pixels, quads, progress),
                _ => DecodeVector<Rgba>(plan, zlib, pixels, quads, progress),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !progress.InCallback)
        {
            // Corrupt zlib data (InvalidDataException), a CRC mismatch, or a file that does not match the plan.
            return false;
        }
    }

    /// <summary>
    /// Reports finished rows once a batch has gathered since the last report, and checks for cancellation then.
    /// It knows when the caller's callback runs, so that the callback's own exceptions are not taken for a bad file.
    /// </summary>
    private sealed class Progress(int height, Action<int>? rowsDone, CancellationToken cancellationToken)
    {
        private int _reported;

        public bool InCallback { get; private set; }

        public void RowsFinished(int rows)
        {
            if (rows - _reported < RowsPerBatch && rows != height) return;
            cancellationToken.ThrowIfCancellationRequested();
            _reported = rows;
            if (rowsDone is null) return;
            InCallback = true;
            rowsDone(rows);
            InCallback = false;
        }
    }

    private static bool ReadScanline(Stream zlib, byte[] scanline, int length) =>
        zlib.ReadAtLeast(scanline.AsSpan(0, length), length, throwOnEndOfStream: false) == length;

    /// <summary>
    /// The reference: each scanline unfiltered in place against the previous one, byte by byte as the PNG
    /// specification writes it, then widened to RGBA.
    /// </summary>
    private static bool DecodeScalar(Plan plan, Stream zlib, Span<uint> pixels, Progress progress)
    {
        int width = plan.Width, bpp = plan.BytesPerPixel, rowBytes = width * bpp;
        byte[] current = new byte[rowBytes + 1], previous = new byte[rowBytes + 1];
        for (int y = 0; y < plan.Height; y++)
        {
            if (zlib.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) != current.Length) return false;
            if (!UnfilterScalar(current[0], current.AsSpan(1), previous.AsSpan(1), bpp)) return false;
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

    /// <summary>The PNG filters, undone in place (specification section 9).</summary>
    private static bool UnfilterScalar(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return true;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                return true;
            case 3:
                for (int i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + previous[i]) >> 1);
                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                    int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The fast path works on whole pixels: each is widened to four byte lanes (R, G, B, A; grey in R) before it
    /// is unfiltered, and the previous row is the destination's. The filters act on each lane alone, so the
    /// lanes a format does not use (alpha of RGB, G and B of grey) may hold anything while the row is
    /// unfiltered; <see cref="IPixelLayout.Fix(uint)"/> sets them as it stores.
    /// </summary>
    private static bool DecodeVector<TLayout>(Plan plan, Stream zlib, Span<uint> pixels, bool quads, Progress progress)
        where TLayout : IPixelLayout
    {
        int width = plan.Width, height = plan.Height, length = width * TLayout.BytesPerPixel + 1;
        // Inflate up to 128 KB or a batch of scanlines per call (a multiple of 4, so Paeth rows group well); the
        // vector loads of an RGB row read up to 16 bytes past its last pixel.
        int rowsPerBlock = Math.Max(4, Math.Min(RowsPerBatch, (1 << 17) / length) & ~3);
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
                    case 0: RowNone<TLayout>(ref raw, ref destination, width); break;
                    case 1: RowSub<TLayout>(ref raw, ref destination, width); break;
                    case 2: RowUp<TLayout>(ref raw, ref above, ref destination, width); break;
                    case 3: RowAverage<TLayout>(ref raw, ref above, ref destination, width); break;
                    case 4:
                        // Consecutive Paeth rows are done together, each lower one a pixel behind the one above:
                        // two or four times the work per step of the pixel-to-pixel dependency chain.
                        if (quads && i + 3 < rows && block[(i + 1) * length] == 4 && block[(i + 2) * length] == 4 && block[(i + 3) * length] == 4)
                        {
                            RowPaethQuad<TLayout>(block, i * length + 1, length, ref above, pixels.Slice(y * width, 4 * width), width);
                            i += 3;
                            y += 3;
                        }
                        else if (i + 1 < rows && block[(i + 1) * length] == 4)
                        {
                            RowPaethPair<TLayout>(ref raw, ref block[(i + 1) * length + 1], ref above, ref destination, ref pixels[(y + 1) * width], width);
                            i++;
                            y++;
                        }
                        else
                        {
                            RowPaeth<TLayout>(ref raw, ref above, ref destination, width);
                        }
                        break;
                    default: return false;
                }
            }
            progress.RowsFinished(y);
        }
        return true;
    }

    private static void RowNone<TLayout>(ref byte raw, ref uint destination, int width) where TLayout : IPixelLayout
    {
        nint x = 0;
        for (; x + 4 <= width; x += 4)
            TLayout.Fix(TLayout.Load4(ref raw, x)).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
        for (; x < width; x++)
            Unsafe.Add(ref destination, x) = TLayout.Fix(TLayout.Load(ref raw, x));
    }

    private static void RowUp<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        nint x = 0;
        for (; x + 4 <= width; x += 4)
        {
            Vector128<byte> b = Vector128.LoadUnsafe(ref above, (nuint)x).AsByte();
            TLayout.Fix(TLayout.Load4(ref raw, x) + b).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
        }
        for (; x < width; x++)
            Unsafe.Add(ref destination, x) = TLayout.Fix(AddBytes(TLayout.Load(ref raw, x), Unsafe.Add(ref above, x)));
    }

    private static void RowSub<TLayout>(ref byte raw, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // Four pixels at a time: a prefix sum across the vector's pixels plus the last pixel of the previous four.
        Vector128<byte> left = Vector128<byte>.Zero;
        nint x = 0;
        for (; x + 4 <= width; x += 4)
        {
            Vector128<byte> v = TLayout.Load4(ref raw, x);
            v += Vector128.Shuffle(v, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
            v += Vector128.Shuffle(v, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7));
            v += left;
            TLayout.Fix(v).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
            left = Vector128.Shuffle(v.AsUInt32(), Vector128.Create(3u)).AsByte();
        }
        uint a = left.AsUInt32().ToScalar();
        for (; x < width; x++)
        {
            a = AddBytes(TLayout.Load(ref raw, x), a);
            Unsafe.Add(ref destination, x) = TLayout.Fix(a);
        }
    }

    private static void RowAverage<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // Each pixel needs the one before it: one pixel per step, in the low four lanes of a vector.
        Vector128<byte> a = Vector128<byte>.Zero, one = Vector128.Create((byte)1);
        for (nint x = 0; x < width; x++)
        {
            Vector128<byte> b = Vector128.CreateScalarUnsafe(Unsafe.Add(ref above, x)).AsByte();
            Vector128<byte> average = Sse2.IsSupported
                ? Sse2.Average(a, b) - ((a ^ b) & one) // pavgb rounds up; take back the half
                : (a & b) + Vector128.ShiftRightLogical(a ^ b, 1);
            a = Vector128.CreateScalarUnsafe(TLayout.Load(ref raw, x)).AsByte() + average;
            Unsafe.Add(ref destination, x) = TLayout.Fix(a.AsUInt32().ToScalar());
        }
    }

    private static void RowPaeth<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // One pixel per step in 16-bit lanes; a is not passed through Fix (its spare lanes do not matter).
        Vector128<short> a = Vector128<short>.Zero, c = Vector128<short>.Zero;
        for (nint x = 0; x < width; x++)
        {
            Vector128<short> b = Widen(Unsafe.Add(ref above, x));
            a = Paeth(a, b, c, Widen(TLayout.Load(ref raw, x)));
            c = b;
            Unsafe.Add(ref destination, x) = TLayout.Fix(Narrow(a).ToScalar());
        }
    }

    /// <summary>
    /// Rows y and y + 1 in one vector: lanes 0-3 hold row y at pixel s, lanes 4-7 row y + 1 at pixel s - 1,
    /// whose left neighbour is the previous step's upper half and whose upper neighbour is its lower half.
    /// </summary>
    private static void RowPaethPair<TLayout>(ref byte raw0, ref byte raw1, ref uint above, ref uint destination0, ref uint destination1, int width)
        where TLayout : IPixelLayout
    {
        // Step 0: row y alone; the lower row's lanes stay zero, its a and c at its first pixel.
        Vector128<short> b = Widen(above);
        Vector128<short> a = Paeth(Vector128<short>.Zero, b, Vector128<short>.Zero, Widen(TLayout.Load(ref raw0, 0)))
            & Vector128.Create(-1L, 0L).AsInt16();
        destination0 = TLayout.Fix(Narrow(a).ToScalar());
        Vector128<short> c = b;
        for (nint s = 1; s < width; s++)
        {
            b = UpperFromLower(a) | Widen(Unsafe.Add(ref above, s));
            a = Paeth(a, b, c, Widen(TLayout.Load(ref raw0, s), TLayout.Load(ref raw1, s - 1)));
            c = b;
            Vector128<uint> bytes = Narrow(a);
            Unsafe.Add(ref destination0, s) = TLayout.Fix(bytes.ToScalar());
            Unsafe.Add(ref destination1, s - 1) = TLayout.Fix(bytes.GetElement(1));
        }
        // Last step: the lower row's last pixel.
        b = UpperFromLower(a);
        a = Paeth(a, b, c, Widen(0, TLayout.Load(ref raw1, width - 1)));
        Unsafe.Add(ref destination1, width - 1) = TLayout.Fix(Narrow(a).GetElement(1));
    }

    /// <summary>
    /// Rows y to y + 3 in one Vector256: lanes 4k to 4k + 3 hold row y + k at pixel s - k. Steps 0-2 and the last
    /// three, where some rows are outside their width, go through the checked path; rows not yet started are held
    /// at zero, which is their a and c at their first pixel.
    /// </summary>
    private static void RowPaethQuad<TLayout>(byte[] block, int start, int length, ref uint above, Span<uint> destination, int width)
        where TLayout : IPixelLayout
    {
        ref byte raw0 = ref block[start];
        ref byte raw1 = ref Unsafe.Add(ref raw0, length);
        ref byte raw2 = ref Unsafe.Add(ref raw1, length);
        ref byte raw3 = ref Unsafe.Add(ref raw2, length);
        ref uint row0 = ref MemoryMarshal.GetReference(destination);
        ref uint row1 = ref Unsafe.Add(ref row0, width);
        ref uint row2 = ref Unsafe.Add(ref row1, width);
        ref uint row3 = ref Unsafe.Add(ref row2, width);
        Vector256<short> a = Vector256<short>.Zero, c = Vector256<short>.Zero, b;
        Vector256<short> firstRow = Vector256.Create(-1L, 0, 0, 0).AsInt16();
        for (nint s = 0; s < width + 3; s++)
        {
            Vector128<uint> raw;
            if (s >= 3 && s < width)
            {
                b = Vector256.ConditionalSelect(firstRow, Widen256(Unsafe.Add(ref above, s)), ShiftRowsDown(a));
                raw = Vector128.Create(TLayout.Load(ref raw0, s), TLayout.Load(ref raw1, s - 1), TLayout.Load(ref raw2, s - 2), TLayout.Load(ref raw3, s - 3));
                a = Paeth(a, b, c, Vector256.WidenLower(raw.AsByte().ToVector256Unsafe()).AsInt16());
                c = b;
                Vector128<uint> bytes = Narrow(a);
                Unsafe.Add(ref row0, s) = TLayout.Fix(bytes.GetElement(0));
                Unsafe.Add(ref row1, s - 1) = TLayout.Fix(bytes.GetElement(1));
                Unsafe.Add(ref row2, s - 2) = TLayout.Fix(bytes.GetElement(2));
                Unsafe.Add(ref row3, s - 3) = TLayout.Fix(bytes.GetElement(3));
                continue;
            }
            b = Vector256.ConditionalSelect(firstRow, Widen256(s < width ? Unsafe.Add(ref above, s) : 0), ShiftRowsDown(a));
            raw = Vector128.Create(
                s < width ? TLayout.Load(ref raw0, s) : 0,
                s - 1 >= 0 && s - 1 < width ? TLayout.Load(ref raw1, s - 1) : 0,
                s - 2 >= 0 && s - 2 < width ? TLayout.Load(ref raw2, s - 2) : 0,
                s - 3 >= 0 && s - 3 < width ? TLayout.Load(ref raw3, s - 3) : 0);
            a = Paeth(a, b, c, Vector256.WidenLower(raw.AsByte().ToVector256Unsafe()).AsInt16());
            // Rows that have not started yet stay zero.
            if (s < 3) a &= Vector256.Create(-1L, s >= 1 ? -1L : 0, s >= 2 ? -1L : 0, 0).AsInt16();
            c = b;
            Vector128<uint> checkedBytes = Narrow(a);
            if (s < width) Unsafe.Add(ref row0, s) = TLayout.Fix(checkedBytes.GetElement(0));
            if (s - 1 >= 0 && s - 1 < width) Unsafe.Add(ref row1, s - 1) = TLayout.Fix(checkedBytes.GetElement(1));
            if (s - 2 >= 0 && s - 2 < width) Unsafe.Add(ref row2, s - 2) = TLayout.Fix(checkedBytes.GetElement(2));
            if (s - 3 >= 0) Unsafe.Add(ref row3, s - 3) = TLayout.Fix(checkedBytes.GetElement(3));
        }
    }

    /// <summary>Each row's four lanes moved up to the next row's place (the row below, one pixel behind).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ShiftRowsDown(Vector256<short> v) =>
        Vector256.Shuffle(v.AsInt64(), Vector256.Create(0L, 0, 1, 2)).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen256(uint pixel) =>
        Vector256.WidenLower(Vector128.CreateScalar(pixel).AsByte().ToVector256Unsafe()).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Narrow(Vector256<short> v) => Vector128.Narrow(v.GetLower().AsUInt16(), v.GetUpper().AsUInt16()).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Paeth(Vector256<short> a, Vector256<short> b, Vector256<short> c, Vector256<short> raw)
    {
        Vector256<short> bc = b - c, ac = a - c;
        Vector256<short> pa = Vector256.Abs(bc), pb = Vector256.Abs(ac), pc = Vector256.Abs(ac + bc);
        Vector256<short> useA = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
        Vector256<short> bOrC = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(pb, pc), b, c);
        return (Vector256.ConditionalSelect(useA, a, bOrC) + raw) & Vector256.Create((short)0xFF);
    }

    /// <summary>The Paeth predictor of each 16-bit lane plus the raw byte, wrapped to a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Paeth(Vector128<short> a, Vector128<short> b, Vector128<short> c, Vector128<short> raw)
    {
        Vector128<short> bc = b - c, ac = a - c;
        Vector128<short> pa = Vector128.Abs(bc), pb = Vector128.Abs(ac), pc = Vector128.Abs(ac + bc);
        Vector128<short> useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        Vector128<short> bOrC = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(pb, pc), b, c);
        return (Vector128.ConditionalSelect(useA, a, bOrC) + raw) & Vector128.Create((short)0xFF);
    }

    /// <summary>Lanes 0-3 moved to lanes 4-7, zeros below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> UpperFromLower(Vector128<short> v) =>
        Sse2.IsSupported ? Sse2.ShiftLeftLogical128BitLane(v, 8) : Vector128.Create(Vector64<short>.Zero, v.GetLower());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Widen(uint pixel) =>
        Vector128.WidenLower(Vector128.CreateScalar(pixel).AsByte()).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Widen(uint lower, uint upper) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe((ulong)upper << 32 | lower).AsByte()).AsInt16();

    /// <summary>16-bit lanes (each at most 255) back to bytes: pixel 0 in element 0, pixel 1 in element 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Narrow(Vector128<short> v) => Vector128.Narrow(v.AsUInt16(), v.AsUInt16()).AsUInt32();

    /// <summary>Adds the four bytes of two pixels lane by lane, without carries between lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AddBytes(uint x, uint y) => ((x & 0x7F7F7F7Fu) + (y & 0x7F7F7F7Fu)) ^ ((x ^ y) & 0x80808080u);

    /// <summary>How one format's raw bytes become four-lane pixels, and how the finished pixel is completed.</summary>
    private interface IPixelLayout
    {
        static abstract int BytesPerPixel { get; }

        /// <summary>Pixel <paramref name="x"/> of the raw row, channels in their lanes; spare lanes hold anything.</summary>
        static abstract uint Load(ref byte raw, nint x);

        /// <summary>Pixels <paramref name="x"/> to x + 3.</summary>
        static abstract Vector128<byte> Load4(ref byte raw, nint x);

        /// <summary>Sets the spare lanes: alpha 255 where there is no alpha, grey copied to G and B.</summary>
        static abstract uint Fix(uint pixel);

        static abstract Vector128<byte> Fix(Vector128<byte> pixels);
    }

    private readonly struct Rgba : IPixelLayout
    {
        public static int BytesPerPixel => 4;
        public static uint Load(ref byte raw, nint x) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x * 4));
        public static Vector128<byte> Load4(ref byte raw, nint x) => Vector128.LoadUnsafe(ref raw, (nuint)(x * 4));
        public static uint Fix(uint pixel) => pixel;
        public static Vector128<byte> Fix(Vector128<byte> pixels) => pixels;
    }

    private readonly struct Rgb : IPixelLayout
    {
        public static int BytesPerPixel => 3;
        public static uint Load(ref byte raw, nint x) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x * 3));
        public static Vector128<byte> Load4(ref byte raw, nint x) =>
            Vector128.Shuffle(Vector128.LoadUnsafe(ref raw, (nuint)(x * 3)), Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF));
        public static uint Fix(uint pixel) => pixel | 0xFF000000u;
        public static Vector128<byte> Fix(Vector128<byte> pixels) => pixels | Vector128.Create(0xFF000000u).AsByte();
    }

    private readonly struct Grey : IPixelLayout
    {
        public static int BytesPerPixel => 1;
        public static uint Load(ref byte raw, nint x) => Unsafe.Add(ref raw, x);
        public static Vector128<byte> Load4(ref byte raw, nint x) =>
            Vector128.Shuffle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x))).AsByte(),
                Vector128.Create((byte)0, 0xFF, 0xFF, 0xFF, 1, 0xFF, 0xFF, 0xFF, 2, 0xFF, 0xFF, 0xFF, 3, 0xFF, 0xFF, 0xFF));
        public static uint Fix(uint pixel) => (pixel & 0xFFu) * 0x010101u | 0xFF000000u;
        public static Vector128<byte> Fix(Vector128<byte> pixels) =>
            Vector128.Shuffle(pixels, Vector128.Create((byte)0, 0, 0, 0xFF, 4, 4, 4, 0xFF, 8, 8, 8, 0xFF, 12, 12, 12, 0xFF))
            | Vector128.Create(0xFF000000u).AsByte();
    }

    private readonly struct GreyAlpha : IPixelLayout
    {
        public static int BytesPerPixel => 2;
        public static uint Load(ref byte raw, nint x)
        {
            uint pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref raw, x * 2));
            return (pair & 0xFFu) | (pair >> 8) << 24;
        }
        public static Vector128<byte> Load4(ref byte raw, nint x) =>
            Vector128.Shuffle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref raw, x * 2))).AsByte(),
                Vector128.Create((byte)0, 0xFF, 0xFF, 1, 2, 0xFF, 0xFF, 3, 4, 0xFF, 0xFF, 5, 6, 0xFF, 0xFF, 7));
        public static uint Fix(uint pixel) => (pixel & 0xFFu) * 0x010101u | (pixel & 0xFF000000u);
        public static Vector128<byte> Fix(Vector128<byte> pixels) =>
            Vector128.Shuffle(pixels, Vector128.Create((byte)0, 0, 0, 3, 4, 4, 4, 7, 8, 8, 8, 11, 12, 12, 12, 15));
    }

    /// <summary>
    /// The IDAT payloads of the file read as one stream, without copying them out. Each chunk's CRC is checked
    /// before its first byte is handed on, so corrupt data never reaches the inflater.
    /// </summary>
    private sealed class IdatStream(byte[] file, int start, int end) : Stream
    {
        private int _next = start;    // offset of the next chunk's length field
        private int _position;        // next byte of the current chunk's data
        private int _remaining;       // bytes left in the current chunk's data

        public override int Read(Span<byte> buffer)
        {
            while (_remaining == 0)
            {
                if (_next >= end) return 0;
                int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(_next));
                if (length < 0 || length > end - _next - 12 || BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(_next + 4)) != IDAT)
                    throw new InvalidDataException("The IDAT chunks are not where the plan put them.");
                if (Crc32.Compute(file.AsSpan(_next + 4, length + 4)) != BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(_next + 8 + length)))
                    throw new InvalidDataException("IDAT CRC mismatch.");
                _position = _next + 8;
                _remaining = length;
                _next += 12 + length;
            }
            int count = Math.Min(buffer.Length, _remaining);
            file.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            _remaining -= count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
