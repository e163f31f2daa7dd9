using System.Numerics;
using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Png.Deflate;
using KMeansPS.Imaging.Provenance;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// Writes an indexed-colour PNG (colour type 3): PLTE, tRNS only when some entry is not opaque (cut after the last
/// such entry), and one IDAT: at the default level (<see cref="CompressionLevel.Optimal"/>) zlib at
/// <see cref="CompressionLevel.SmallestSize"/> with its blocks redrawn, at <see cref="CompressionLevel.SmallestSize"/>
/// a near-optimal parse (<see cref="Deflate.NearOptimalParser"/>), at the faster levels zlib at that level; with a
/// <see cref="OutputMarker"/>, a tEXt chunk holding it right after IHDR (the marker reader stops at IDAT; the pixels
/// and IDAT are the same with or without it); with <see cref="CarriedMetadata"/>, the source's ancillary chunks where
/// <see cref="PngMetadataChunks"/> places them (colour and density before PLTE; text and eXIf after PLTE and tRNS).
/// The scanlines take the smallest of a few <see cref="ScanlineLayout"/>s (the smallest bit depth the palette allows
/// with filter None, which suits most palette images, or filter Up when some entry is translucent, or 8 bits for 16
/// colours or fewer; an opaque palette of more than 16 entries has only the first): small images try each whole, larger
/// ones rank them on a sample of rows and deflate whole only the usual layout and the one the sample prefers, if it
/// is not the usual one (ranked at level 9 while that is cheap, else at zlib's default level). The deflate stream is
/// built from bands joined by sync flushes, compressed in parallel: at the default level each band after the end of
/// the one before it (<see cref="CompressPrimed"/>), at the other levels each on its own.
/// </summary>
internal static class PalettePngEncoder
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Scanline bytes per deflate band of a large image. The band count depends only on the image, never on the thread
    /// count, so the same image gives the same file on every machine; each join of bands made on their own costs about
    /// 0.05 % in size (see <see cref="PrimedBandCount"/> for the default level).
    /// </summary>
    internal const int BandBytes = 1024 * 1024;

    /// <summary>At most this many bands (enough for 16 cores).</summary>
    private const int MaxBands = 16;

    /// <summary>Images with at most this many scanline bytes try every layout whole (a sample would be most of it).</summary>
    internal const int WholeTrialBytes = 64 * 1024;

    /// <summary>About this many scanline bytes (at 8 bits) rank the layouts of a larger image, unless its stripes need more.</summary>
    private const int SampleBytes = 32 * 1024;

    /// <summary>The sample is this many stripes of rows spread over the image (Up and deflate need runs of whole rows).</summary>
    private const int SampleStripes = 8;

    /// <summary>
    /// The fewest rows in a stripe. With one or two rows a stripe (32 KiB over 8 stripes of a 1,700-2,560 pixel wide
    /// image) the sample ranked 5 of 30 outputs unlike their whole streams (perf/README), and each time deflated a
    /// losing layout whole: 25-70 ms on a 2-4 megapixel image. With 8 rows it ranked 29 of 30 as the whole streams
    /// do; a sample of 128 KiB ranked all 30, but cost a 640x427 image at 16 colours more than a second deflate saves.
    /// </summary>
    private const int MinStripeRows = 8;

    /// <summary>The bit depth the encoder picks for a palette of <paramref name="paletteSize"/> entries.</summary>
    public static int BitDepthFor(int paletteSize) => paletteSize switch
    {
        <= 2 => 1,
        <= 4 => 2,
        <= 16 => 4,
        _ => 8,
    };

    /// <summary>
    /// Encodes <paramref name="indices"/> (one palette index per pixel, row-major) with <paramref name="palette"/>
    /// (straight alpha, at most 256 entries). Put non-opaque entries first to keep tRNS short.
    /// </summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        Write(output, width, height, indices, palette, marker: null, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>As the overload without <paramref name="marker"/>, and writes the marker as a tEXt chunk right after IHDR.</summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        OutputMarker? marker, int? maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        Write(output, width, height, indices, palette, marker, metadata: null, maxDegreeOfParallelism, cancellationToken);

    /// <summary>As the overload without <paramref name="metadata"/>, and carries it (null or empty carries nothing).</summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        OutputMarker? marker, CarriedMetadata? metadata, int? maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        Write(output, width, height, indices, palette, marker, metadata, CompressionLevel.Optimal, maxDegreeOfParallelism, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="level"/>, deflating at that level: <see cref="CompressionLevel.Optimal"/>
    /// as described above; <see cref="CompressionLevel.SmallestSize"/> also parses the kept layout anew with
    /// <see cref="NearOptimalParser"/> and keeps whichever stream is smaller (2-10 % smaller files, several times the
    /// encoding time); <see cref="CompressionLevel.Fastest"/> and <see cref="CompressionLevel.NoCompression"/> deflate
    /// the usual layout once at zlib's level of that name, with no sample and no redraw. The pixels are the same at
    /// every level.
    /// </summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        OutputMarker? marker, CarriedMetadata? metadata, CompressionLevel level, int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(level)) throw new ArgumentOutOfRangeException(nameof(level), level, "Not a compression level.");
        int threads = Math.Max(1, Math.Min(maxDegreeOfParallelism ?? Environment.ProcessorCount, Environment.ProcessorCount));
        Write(output, width, height, indices, palette, threads, bands: null, marker, metadata, level, cancellationToken);
    }

    /// <summary>As the public overload; <paramref name="bands"/> overrides the number of deflate bands (tests).</summary>
    internal static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        int threads, int? bands, CancellationToken cancellationToken, CompressionLevel level = CompressionLevel.Optimal) =>
        Write(output, width, height, indices, palette, threads, bands, marker: null, metadata: null, level, cancellationToken);

    private static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        int threads, int? bands, OutputMarker? marker, CarriedMetadata? metadata, CompressionLevel level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (indices.Length != (long)width * height)
            throw new ArgumentException($"Expected {(long)width * height} indices, got {indices.Length}.", nameof(indices));
        if (palette.Length is 0 or > 256)
            throw new ArgumentException($"A PNG palette holds 1 to 256 entries, got {palette.Length}.", nameof(palette));
        for (int i = 0; i < indices.Length; i++)
            if (indices[i] >= palette.Length)
                throw new ArgumentException($"Index {indices[i]} at pixel {i} is outside the palette of {palette.Length}.", nameof(indices));

        bool translucent = false;
        foreach (Rgba32 entry in palette) translucent |= entry.A != 255;
        (ScanlineLayout layout, byte[] idat) = CompressSmallest(indices, width, height, palette.Length, translucent, bands, threads,
            level, cancellationToken);

        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = (byte)layout.BitDepth;
        ihdr[9] = 3; // indexed colour
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering (one filter type, None or Up, on every row)
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR", ihdr);
        // The marker first: a file a power cut leaves short past its first hundred bytes still says whose it is, so
        // the next run writes it again instead of taking it for someone else's (an ICC profile may be megabytes).
        if (marker is not null) WriteChunk(output, "tEXt", marker.ToPngTextData());
        if (metadata is not null)
            foreach (AncillaryChunk chunk in PngMetadataChunks.BeforePalette(metadata)) WriteChunk(output, chunk.Type, chunk.Data);

        var plte = new byte[palette.Length * 3];
        int lastTransparent = -1;
        for (int i = 0; i < palette.Length; i++)
        {
            plte[3 * i] = palette[i].R;
            plte[3 * i + 1] = palette[i].G;
            plte[3 * i + 2] = palette[i].B;
            if (palette[i].A != 255) lastTransparent = i;
        }
        WriteChunk(output, "PLTE", plte);
        if (lastTransparent >= 0)
        {
            var trns = new byte[lastTransparent + 1];
            for (int i = 0; i <= lastTransparent; i++) trns[i] = palette[i].A;
            WriteChunk(output, "tRNS", trns);
        }
        if (metadata is not null)
            foreach (AncillaryChunk chunk in PngMetadataChunks.BeforeImageData(metadata)) WriteChunk(output, chunk.Type, chunk.Data);

        WriteChunk(output, "IDAT", idat);
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
    }

    /// <summary>The layout whose zlib stream is smallest (the first of equals), and that stream.</summary>
    private static (ScanlineLayout Layout, byte[] Zlib) CompressSmallest(ReadOnlySpan<byte> indices, int width, int height,
        int paletteSize, bool translucent, int? bands, int threads, CompressionLevel level, CancellationToken cancellationToken)
    {
        ScanlineLayout[] candidates = ScanlineLayout.Candidates(paletteSize, translucent);
        ScanlineLayout usual = candidates[0];
        if (level is CompressionLevel.Fastest or CompressionLevel.NoCompression)
            return (usual, Join(CompressWhole(indices, width, height, usual, bands, threads, level, cancellationToken), fastest: true));
        bool reparse = level == CompressionLevel.SmallestSize;
        ScanlineLayout[] whole = candidates;
        if (candidates.Length > 1 && (long)(usual.RowBytes(width) + 1) * height > WholeTrialBytes)
        {
            long[] sampled = SampleSizes(indices, width, height, candidates, threads, cancellationToken);
            int preferred = 0;
            for (int c = 1; c < candidates.Length; c++)
                if (sampled[c] < sampled[preferred]) preferred = c;
            whole = preferred == 0 ? [usual] : [usual, candidates[preferred]];
        }

        // The default level: the layouts ranked whole (at level 9 while that takes a few milliseconds, above that at
        // zlib's default level, an eighth of level 9's time on a photo's indices), the one kept deflated at level 9 in
        // bands primed with their history, its blocks redrawn.
        if (!reparse)
        {
            CompressionLevel ranking = (long)(usual.RowBytes(width) + 1) * height <= WholeTrialBytes ? CompressionLevel.SmallestSize : CompressionLevel.Optimal;
            ScanlineLayout kept = whole.Length == 1 ? usual : whole[SmallestWhole(indices, width, height, whole, bands, threads,
                ranking, cancellationToken)];
            return (kept, Join(CompressPrimed(indices, width, height, kept, bands, threads, cancellationToken)));
        }

        // SmallestSize: the layouts ranked by zlib's level-9 streams of bands made on their own, the one kept parsed anew
        // band by band (Redraw), each band keeping the smaller of that and zlib's stream with its blocks redrawn.
        if (whole.Length == 1)
        {
            DeflatedBands only = CompressWhole(indices, width, height, usual, bands, threads, CompressionLevel.SmallestSize, cancellationToken);
            return (usual, Join(Redraw(only, indices, width, height, usual, threads, reparse, cancellationToken)));
        }

        var streams = new DeflatedBands[whole.Length];
        int best = SmallestWhole(indices, width, height, whole, bands, threads, CompressionLevel.SmallestSize, cancellationToken, streams);
        return (whole[best], Join(Redraw(streams[best], indices, width, height, whole[best], threads, reparse, cancellationToken)));
    }

    /// <summary>
    /// Which of <paramref name="layouts"/> deflates smallest whole at <paramref name="level"/> (the first of equals), their
    /// streams into <paramref name="streams"/> when given.
    /// </summary>
    private static int SmallestWhole(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout[] layouts, int? bands, int threads,
        CompressionLevel level, CancellationToken cancellationToken, DeflatedBands[]? streams = null)
    {
        // An image of one band deflates on one thread, so two layouts of it deflate side by side (its indices copied,
        // under 1 MiB); larger ones take turns, their bands in parallel, holding one layout's scanlines at a time.
        streams ??= new DeflatedBands[layouts.Length];
        bool sideBySide = bands is null && (long)width * height < BandBytes;
        if (!sideBySide)
        {
            for (int c = 0; c < layouts.Length; c++)
                streams[c] = CompressWhole(indices, width, height, layouts[c], bands, threads, level, cancellationToken);
        }
        else
        {
            byte[] pixels = indices.ToArray(); // a span cannot enter the lambda
            int inner = Math.Max(1, threads / layouts.Length);
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
            Parallel.For(0, layouts.Length, options, c =>
                streams[c] = CompressWhole(pixels, width, height, layouts[c], bands, inner, level, cancellationToken));
        }
        int best = 0;
        for (int c = 1; c < layouts.Length; c++)
            if (streams[c].Length < streams[best].Length) best = c;
        return best;
    }

    /// <summary>A layout's deflate bands (each but the last ending with a sync flush), their rows, and the Adler-32 of all.</summary>
    private sealed record DeflatedBands(byte[][] Streams, int RowsPerBand, uint Adler)
    {
        /// <summary>Bytes of the zlib stream they make.</summary>
        public long Length => 2 + 4 + Streams.Sum(s => (long)s.Length);
    }

    private static DeflatedBands CompressWhole(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout layout, int? bands,
        int threads, CompressionLevel level, CancellationToken cancellationToken)
    {
        long rawLength = (long)(layout.RowBytes(width) + 1) * height;
        int bandCount = bands ?? (int)Math.Clamp(rawLength / BandBytes, 1, MaxBands);
        return Compress(indices, width, height, layout, bandCount, threads, level, cancellationToken);
    }

    /// <summary>
    /// The bands of <paramref name="deflated"/> with their blocks redrawn, the scanlines written again for it; with
    /// <paramref name="reparse"/>, each band's near-optimal parse instead where that is smaller still.
    /// </summary>
    private static DeflatedBands Redraw(DeflatedBands deflated, ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout layout,
        int threads, bool reparse, CancellationToken cancellationToken)
    {
        int rowBytes = layout.RowBytes(width), bands = deflated.Streams.Length, rowsPerBand = deflated.RowsPerBand;
        byte[][] raw = WriteBands(indices, width, height, layout, bands, rowsPerBand);
        var redrawn = new byte[bands][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, bands, options, band =>
        {
            int y0 = band * rowsPerBand, y1 = Math.Min(height, y0 + rowsPerBand);
            ReadOnlySpan<byte> scanlines = raw[band].AsSpan(0, (y1 - y0) * (rowBytes + 1));
            bool last = band == bands - 1;
            byte[] stream = DeflateRepacker.Repack(deflated.Streams[band], scanlines, last);
            if (reparse)
            {
                // A band's parts are parsed side by side with the threads the bands leave free (a small image is one band).
                uint[] tokens = NearOptimalParser.ParseParts(raw[band], scanlines.Length, Math.Max(1, threads / bands), cancellationToken);
                stream = DeflateRepacker.Encode(tokens, scanlines, last, stream.Length) ?? stream;
            }
            redrawn[band] = stream;
        });
        foreach (byte[] buffer in raw) LargeBufferCache.Return(buffer);
        return deflated with { Streams = redrawn };
    }

    /// <summary>Filtered scanlines of each band, packed at the bit depth (buffers from the cache, for the caller to return).</summary>
    private static byte[][] WriteBands(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout layout, int bands, int rowsPerBand)
    {
        int rowBytes = layout.RowBytes(width);
        var raw = new byte[bands][];
        for (int band = 0; band < bands; band++)
        {
            int y0 = band * rowsPerBand, y1 = Math.Min(height, y0 + rowsPerBand);
            byte[] buffer = LargeBufferCache.Rent<byte>(checked((y1 - y0) * (rowBytes + 1))); // every byte written below
            WriteScanlines(indices, width, y0, y1, layout, buffer.AsSpan(0, (y1 - y0) * (rowBytes + 1)));
            raw[band] = buffer;
        }
        return raw;
    }

    /// <summary>The zlib stream: header (its level field saying <paramref name="fastest"/> or maximum), the bands in order, Adler-32.</summary>
    private static byte[] Join(DeflatedBands deflated, bool fastest = false)
    {
        var zlib = new byte[deflated.Length];
        zlib[0] = 0x78; // deflate, 32 KiB window
        zlib[1] = fastest ? (byte)0x01 : (byte)0xDA; // (0x78 * 256 + 0x01 or 0xDA) % 31 == 0
        int pos = 2;
        foreach (byte[] d in deflated.Streams)
        {
            d.CopyTo(zlib, pos);
            pos += d.Length;
        }
        BinaryPrimitives.WriteUInt32BigEndian(zlib.AsSpan(pos), deflated.Adler);
        return zlib;
    }

    /// <summary>
    /// Deflated bytes of the same stripes of rows under each layout: <see cref="SampleStripes"/> runs of at least
    /// <see cref="MinStripeRows"/> rows, evenly spaced, about <see cref="SampleBytes"/> scanline bytes at 8 bits in all.
    /// </summary>
    private static long[] SampleSizes(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout[] candidates,
        int threads, CancellationToken cancellationToken)
    {
        int stripeRows = Math.Max(MinStripeRows, SampleBytes / SampleStripes / (width + 1));
        var stripes = new List<(int Y0, int Y1)>(SampleStripes);
        for (int s = 0; s < SampleStripes; s++)
        {
            int y0 = (int)((long)s * height / SampleStripes), next = (int)((long)(s + 1) * height / SampleStripes);
            if (next > y0) stripes.Add((y0, Math.Min(next, y0 + stripeRows)));
        }
        var samples = new byte[candidates.Length][];
        for (int c = 0; c < candidates.Length; c++)
        {
            int line = candidates[c].RowBytes(width) + 1;
            long length = 0;
            foreach ((int y0, int y1) in stripes) length += (long)(y1 - y0) * line;
            var sample = new byte[length];
            int at = 0;
            foreach ((int y0, int y1) in stripes)
            {
                WriteScanlines(indices, width, y0, y1, candidates[c], sample.AsSpan(at, (y1 - y0) * line));
                at += (y1 - y0) * line;
            }
            samples[c] = sample;
        }
        var sizes = new long[candidates.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, candidates.Length, options, c =>
        {
            using var counter = new CountingStream();
            using (var deflate = new DeflateStream(counter, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(samples[c]);
            sizes[c] = counter.Length;
        });
        return sizes;
    }

    /// <summary>Rows <paramref name="y0"/> to <paramref name="y1"/> as scanlines (filter byte, packed, filtered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteScanlines(ReadOnlySpan<byte> indices, int width, int y0, int y1, ScanlineLayout layout, Span<byte> destination)
    {
        int rowBytes = layout.RowBytes(width);
        byte[]? above = null, current = null;
        if (layout.Filter == ScanlineLayout.Up)
        {
            above = new byte[rowBytes]; // row -1 is zeros
            current = new byte[rowBytes];
            if (y0 > 0) PackRow(indices.Slice((y0 - 1) * width, width), above, layout.BitDepth);
        }
        for (int y = y0; y < y1; y++)
        {
            Span<byte> line = destination.Slice((y - y0) * (rowBytes + 1), rowBytes + 1);
            line[0] = layout.Filter;
            if (current is null)
            {
                PackRow(indices.Slice(y * width, width), line[1..], layout.BitDepth);
                continue;
            }
            PackRow(indices.Slice(y * width, width), current, layout.BitDepth);
            SubtractBytes(current, above, line[1..]);
            (above, current) = (current, above!);
        }
    }

    /// <summary><paramref name="result"/>[i] = <paramref name="a"/>[i] - <paramref name="b"/>[i], wrapping (the Up filter).</summary>
    private static void SubtractBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> result)
    {
        int i = 0;
        for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            (new Vector<byte>(a[i..]) - new Vector<byte>(b[i..])).CopyTo(result[i..]);
        for (; i < a.Length; i++) result[i] = (byte)(a[i] - b[i]);
    }

    /// <summary>A layout's bands, each deflated on its own at <paramref name="level"/> (zlib's streams as they come: for ranking, for the
    /// near-optimal parse to beat, or as the fast levels' output).</summary>
    private static DeflatedBands Compress(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout layout, int bands,
        int threads, CompressionLevel level, CancellationToken cancellationToken)
    {
        bands = Math.Clamp(bands, 1, height);
        int rowsPerBand = (height + bands - 1) / bands;
        bands = (height + rowsPerBand - 1) / rowsPerBand;
        byte[][] raw = WriteBands(indices, width, height, layout, bands, rowsPerBand);
        int rowBytes = layout.RowBytes(width);

        var deflated = new byte[bands][];
        var checksums = new uint[bands];
        var lengths = new long[bands];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, bands, options, band =>
        {
            bool last = band == bands - 1;
            int y0 = band * rowsPerBand, y1 = Math.Min(height, y0 + rowsPerBand);
            int length = (y1 - y0) * (rowBytes + 1);
            deflated[band] = DeflateBand(raw[band], length, last, redraw: false, level, cancellationToken);
            checksums[band] = Adler32.Compute(raw[band].AsSpan(0, length));
            lengths[band] = length;
        });

        uint adler = 1;
        for (int band = 0; band < bands; band++)
        {
            adler = Adler32Combine(adler, checksums[band], lengths[band]);
            LargeBufferCache.Return(raw[band]);
        }
        return new DeflatedBands(deflated, rowsPerBand, adler);
    }

    /// <summary>
    /// The first <paramref name="length"/> bytes of <paramref name="scanlines"/> deflated on their own at
    /// <paramref name="level"/>, ending with a sync flush unless <paramref name="last"/>; with <paramref name="redraw"/>,
    /// zlib's blocks redrawn where that is smaller.
    /// </summary>
    private static byte[] DeflateBand(byte[] scanlines, int length, bool last, bool redraw, CompressionLevel level,
        CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream(length / 4 + 64);
        long syncEnd;
        using (var deflate = new DeflateStream(ms, level, leaveOpen: true))
        {
            WriteInSteps(deflate, scanlines, 0, length, cancellationToken);
            // Flush ends the band on a byte boundary with a non-final empty stored block (Z_SYNC_FLUSH);
            // for all bands but the last, what disposal adds after that (the final block) is cut off. The last
            // band needs no such boundary (it would cost five bytes).
            if (!last) deflate.Flush();
            syncEnd = ms.Length;
        }
        int end = last ? (int)ms.Length : (int)syncEnd;
        return (redraw ? DeflateRepacker.Repack(ms.GetBuffer(), end, scanlines.AsSpan(0, length), last) : null)
            ?? ms.GetBuffer().AsSpan(0, end).ToArray();
    }

    /// <summary>Bytes into a deflater a mebibyte at a time, so a cancellation is seen within one.</summary>
    private static void WriteInSteps(DeflateStream deflate, byte[] bytes, int start, int length, CancellationToken cancellationToken)
    {
        const int Step = 1 << 20;
        for (int offset = start; offset < start + length; offset += Step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            deflate.Write(bytes, offset, Math.Min(Step, start + length - offset));
        }
    }

    /// <summary>
    /// Bands for the primed path: a band costs less there (its matches reach into the band before it; what is left is
    /// its own block headers and a parse that starts anew), so an image of 256 KiB of scanlines or more deflates in two
    /// bands at least, for two cores to share, and larger images as <see cref="BandBytes"/> gives. It depends only on
    /// the image, so the same image gives the same file on every machine.
    /// </summary>
    internal static int PrimedBandCount(long rawLength) =>
        (int)Math.Clamp(Math.Max(Math.Min(rawLength / PrimedBandBytes, 2), rawLength / BandBytes), 1, MaxBands);

    /// <summary>The smallest band of the primed path but the last.</summary>
    internal const int PrimedBandBytes = 128 * 1024;

    /// <summary>How much of the band before a band's deflater sees first: the whole window deflate can reach.</summary>
    internal const int HistoryBytes = 32 * 1024;

    /// <summary>
    /// The default level's stream: each band deflated by zlib at level 9 after the last <see cref="HistoryBytes"/> of
    /// the band before it (as pigz primes its blocks, so a band's matches may reach back across the join, where a band
    /// on its own starts with an empty window), and its blocks redrawn without the history's tokens
    /// (<see cref="DeflateRepacker.RepackPrimed"/>). A band whose redraw fails its checks is deflated on its own.
    /// </summary>
    private static DeflatedBands CompressPrimed(ReadOnlySpan<byte> indices, int width, int height, ScanlineLayout layout, int? bands,
        int threads, CancellationToken cancellationToken)
    {
        int rowBytes = layout.RowBytes(width);
        int count = Math.Clamp(bands ?? PrimedBandCount((long)(rowBytes + 1) * height), 1, height);
        int rowsPerBand = (height + count - 1) / count;
        count = (height + rowsPerBand - 1) / rowsPerBand;
        byte[][] raw = WriteBands(indices, width, height, layout, count, rowsPerBand);
        int Length(int band) => (Math.Min(height, (band + 1) * rowsPerBand) - band * rowsPerBand) * (rowBytes + 1);

        var deflated = new byte[count][];
        var checksums = new uint[count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, count, options, band =>
        {
            bool last = band == count - 1;
            int length = Length(band);
            int historyLength = band == 0 ? 0 : Math.Min(HistoryBytes, Length(band - 1));
            ReadOnlySpan<byte> history = band == 0 ? default : raw[band - 1].AsSpan(Length(band - 1) - historyLength, historyLength);
            using var ms = new MemoryStream(length / 4 + 64);
            using (var deflate = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                deflate.Write(history);
                WriteInSteps(deflate, raw[band], 0, length, cancellationToken);
            }
            deflated[band] = DeflateRepacker.RepackPrimed(ms.GetBuffer(), (int)ms.Length, history, raw[band], length, last)
                ?? DeflateBand(raw[band], length, last, redraw: true, CompressionLevel.SmallestSize, cancellationToken);
            checksums[band] = Adler32.Compute(raw[band].AsSpan(0, length));
        });

        uint adler = 1;
        for (int band = 0; band < count; band++) adler = Adler32Combine(adler, checksums[band], Length(band));
        // Returned after all bands are done: a band's history is the band before it.
        foreach (byte[] buffer in raw) LargeBufferCache.Return(buffer);
        return new DeflatedBands(deflated, rowsPerBand, adler);
    }

    /// <summary>Adler-32 of A followed by B, from their checksums and B's length (zlib's adler32_combine).</summary>
    internal static uint Adler32Combine(uint adler1, uint adler2, long length2)
    {
        const uint Mod = 65521;
        uint rem = (uint)(length2 % Mod);
        uint sum1 = adler1 & 0xFFFF;
        uint sum2 = (uint)((ulong)rem * sum1 % Mod);
        sum1 += (adler2 & 0xFFFF) + Mod - 1;
        sum2 += (adler1 >> 16) + (adler2 >> 16) + Mod - rem;
        if (sum1 >= Mod) sum1 -= Mod;
        if (sum1 >= Mod) sum1 -= Mod;
        if (sum2 >= (Mod << 1)) sum2 -= Mod << 1;
        if (sum2 >= Mod) sum2 -= Mod;
        return sum1 | (sum2 << 16);
    }

    // Whole bytes at a time with constant shifts: a division and a modulo by the pixels per byte for every pixel
    // made this a tenth of a 16-colour image's encoding (perf record), more than the deflate of the sample.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRow(ReadOnlySpan<byte> row, Span<byte> packed, int bitDepth)
    {
        int full;
        switch (bitDepth)
        {
            case 8:
                row.CopyTo(packed);
                return;
            case 4:
                full = row.Length / 2;
                for (int i = 0, x = 0; i < full; i++, x += 2) packed[i] = (byte)(row[x] << 4 | row[x + 1]);
                break;
            case 2:
                full = row.Length / 4;
                for (int i = 0, x = 0; i < full; i++, x += 4)
                    packed[i] = (byte)(row[x] << 6 | row[x + 1] << 4 | row[x + 2] << 2 | row[x + 3]);
                break;
            default:
                full = row.Length / 8;
                for (int i = 0, x = 0; i < full; i++, x += 8)
                    packed[i] = (byte)(row[x] << 7 | row[x + 1] << 6 | row[x + 2] << 5 | row[x + 3] << 4
                        | row[x + 4] << 3 | row[x + 5] << 2 | row[x + 6] << 1 | row[x + 7]);
                break;
        }
        // The last byte's pixels, leftmost in the high bits, the unused low bits zero.
        int perByte = 8 / bitDepth, done = full * perByte;
        if (done == row.Length) return;
        int last = 0;
        for (int x = done; x < done + perByte; x++) last = last << bitDepth | (x < row.Length ? row[x] : 0);
        packed[full] = (byte)last;
    }

    /// <summary>Writes one chunk: length, type, data and the CRC over type and data.</summary>
    internal static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        uint crc = Crc32.Append(Crc32.Compute(header[4..]), data);
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        output.Write(trailer);
    }
}
