using System.Buffers.Binary;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// PNG: the chunk layout, the header, and the image data inflated (into a counter) to check that it gives every
/// byte the header's rows need, Adam7 passes included. Also reports animation (acTL) and oversized metadata.
/// Chunk CRCs are not checked: the fast decoder and ImageSharp both do.
/// </summary>
/// <remarks>
/// The image data is what ImageSharp 2.1 inflates: the first run of consecutive IDAT chunks, each wholly in the
/// file; it stops at any other chunk, and drops a chunk that runs past the end of the file.
/// Damage: data that inflates to fewer bytes than the rows need ("the PNG image data ends after 41 of 427 rows"),
/// a file that ends inside the IDAT run, corrupt compressed data before the last row, a header that claims more
/// pixels than the compressed data could hold at deflate's best ratio (found before inflating), no IHDR first,
/// an invalid bit depth for the colour type, no image data, a palette image without PLTE, a second IHDR or PLTE, a
/// palette image's PLTE that is not whole 3-byte colours or holds more than 256, a palette image's pixel whose index
/// names no PLTE entry (<see cref="PngPaletteIndexCheck"/>). Unsupported: a critical chunk the
/// format does not define, IDAT chunks split by another chunk when
/// the first part is short (valid, but ImageSharp reads only that part), and interlaced images
/// narrower than 5 pixels (ImageSharp 2.1 misplaces their passes; it never returns on 1 x 1). Tolerated: more data
/// than needed, a missing Adler-32 checksum, no IEND (the file ends after a whole chunk), bytes after IEND. A chunk
/// cut by the end of the file is damage even after complete image data (ImageSharp throws on some such cuts, and an
/// APNG loses frames).
/// </remarks>
internal static class PngScanner
{
    private const uint IHDR = 0x49484452, IDAT = 0x49444154, IEND = 0x49454E44, PLTE = 0x504C5445, acTL = 0x6163544C, fcTL = 0x6663544C;
    private const uint tEXt = 0x74455874, zTXt = 0x7A545874, iTXt = 0x69545874, iCCP = 0x69434350, eXIf = 0x65584966;

    /// <summary>Deflate gives at most 1,032 bytes per input byte (a 258-byte match in two one-bit codes); a little more for safety.</summary>
    internal const long MaxDeflateRatio = 1100;

    public static IntegrityReport Scan(ReadOnlyMemory<byte> memory, IntegrityOptions options)
    {
        ReadOnlySpan<byte> file = memory.Span;
        var found = new ScanFindings(ImageFileFormat.Png);
        byte bitDepth = 0, colorType = 0, interlace = 0;
        int runStart = -1, runEnd = -1, runChunks = 0;
        long runBytes = 0;
        bool runOpen = false, animated = false, sawIdatAfterRun = false, sawPalette = false;
        int paletteEntries = 0;
        string? runStoppedBy = null, cutChunk = null;
        int frames = 0;
        long inflationBudget = 4 * options.MaxMetadataBytes;

        int p = 8;
        for (int index = 0; p < file.Length; index++)
        {
            if (file.Length - p < 12)
            {
                cutChunk = file.Length - p >= 8 ? Plain.FourCc(file.Slice(p + 4, 4)) : "header";
                break;
            }
            int length = BinaryPrimitives.ReadInt32BigEndian(file[p..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(file[(p + 4)..]);
            string name = Plain.FourCc(file.Slice(p + 4, 4));
            if (length < 0) return found.Damaged($"the PNG chunk '{name}' at byte {Plain.N(p)} gives an impossible length");
            bool whole = length <= file.Length - p - 12;
            if (index == 0)
            {
                if (type != IHDR) return found.Damaged("the PNG does not start with its IHDR header chunk");
                if (length != 13 || !whole) return found.Damaged(whole ? "the PNG header chunk has the wrong length" : "the file ends inside the PNG header");
                ReadOnlySpan<byte> header = file.Slice(p + 8, 13);
                found.Width = BinaryPrimitives.ReadUInt32BigEndian(header);
                found.Height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                (bitDepth, colorType, interlace) = (header[8], header[9], header[12]);
                string? headerProblem = CheckHeader(found.Width, found.Height, bitDepth, colorType, header[10], header[11], interlace);
                if (headerProblem is not null) return found.Damaged(headerProblem);
                // ImageSharp 2.1 mishandles the empty Adam7 passes of a narrow image: it starts the next pass on the
                // wrong row, then throws, and loops forever on 1 x 1, 1 x 2 and 2 x 1.
                if (interlace == 1 && found.Width < 5)
                    return found.Unsupported($"the PNG is interlaced and {Plain.N(found.Width)} pixel{(found.Width == 1 ? "" : "s")} wide; ImageSharp 2.1 cannot read interlaced PNGs narrower than 5 pixels (on some it never returns)");
            }
            if (!whole)
            {
                cutChunk = name;
                break;
            }

            if (CheckChunk(type, name, p, length, index, colorType, sawPalette) is var (problem, unsupported))
                return unsupported ? found.Unsupported(problem) : found.Damaged(problem);
            if (type == PLTE)
            {
                sawPalette = true;
                paletteEntries = length / 3;
            }
            if (type == IDAT && runStart < 0)
            {
                // ImageSharp 2.1 throws NullReferenceException on a palette image without its palette.
                if (colorType == 3 && !sawPalette) return found.Damaged("the palette PNG has no PLTE (palette) chunk before its image data");
                runStart = p;
                runOpen = true;
            }
            else if (type == IDAT && !runOpen) sawIdatAfterRun = true;
            if (runOpen)
            {
                if (type != IDAT)
                {
                    runOpen = false;
                    runStoppedBy = $"a '{name}' chunk";
                }
                else if (length > 0)
                {
                    // An empty IDAT inside the run is stepped over, by ImageSharp too.
                    runBytes += length;
                    runChunks++;
                    runEnd = p + 12 + length;
                }
            }

            ReadOnlyMemory<byte> data = memory.Slice(p + 8, length);
            switch (type)
            {
                case acTL:
                    animated = true;
                    break;
                case fcTL:
                    frames++;
                    break;
                case tEXt or eXIf:
                    if (length > options.MaxMetadataBytes) found.AddOversized(new MetadataBlock(name, p, length, length));
                    break;
                case zTXt or iCCP or iTXt:
                    CheckCompressedMetadata(found, type, name, p, data, options.MaxMetadataBytes, ref inflationBudget);
                    break;
            }
            p += 12 + length;
            if (type == IEND) break;
        }

        if (animated)
        {
            // ImageSharp 2.1 decodes only the default image of an animated PNG.
            found.Frames = Math.Max(frames, 1);
        }
        if (runStart < 0)
            return found.Damaged(cutChunk is null ? "the PNG holds no image data (no IDAT chunk)"
                : cutChunk == "IDAT" ? "the file ends inside the PNG's first image data chunk (IDAT), so the image data is cut short"
                : $"the file ends inside the PNG's '{cutChunk}' chunk, before any image data");
        bool runCut = runOpen && cutChunk is not null;                 // the file ends inside a chunk of the run (or right after it)
        bool runAtEnd = runOpen && cutChunk is null && p >= file.Length; // the file ends right after an IDAT chunk

        long needed = ImageDataBytes(found.Width, found.Height, bitDepth, colorType, interlace);
        if (needed > Saturating.Add(Saturating.Multiply(runBytes, MaxDeflateRatio), 1024))
            return found.Damaged($"the header claims {Plain.Size(found.Width, found.Height)} pixels but the file holds {Plain.Bytes(file.Length)} (its {Plain.Bytes(runBytes)} of compressed image data cannot give the {Plain.N(needed)} those pixels need)");
        if (found.Width * found.Height > options.MaxPixels) return found.Intact(); // FileIntegrity reports the limit
        // A chunk cut by the end of the file after the image data: the pixels may be whole, but the file is not. That
        // holds for a chunk right after the last IDAT too (a tEXt, the IEND), where the run is still open when the cut
        // is found; it is reported only when the data the rows need is whole (else the shortfall says more).
        string? cutAfterData = cutChunk is null ? null
            : cutChunk == "header" ? "the file ends inside a PNG chunk header after the image data"
            : cutChunk == "IDAT" && runOpen ? $"the file ends inside IDAT chunk {Plain.N(runChunks + 1)}, after the data the rows need"
            : $"the file ends inside its '{cutChunk}' chunk, after the image data";
        if (!options.InflatePngImageData && !runCut && !runAtEnd) return cutAfterData is null ? found.Intact() : found.Damaged(cutAfterData);
        // A palette shorter than the bit depth's indices: the rows unfiltered, each index against it. Done in the full
        // check only (the fast decoder, before which the image data is not inflated, takes no palette image), where it
        // also shows that the data holds every row.
        if (cutAfterData is null && colorType == 3 && paletteEntries < 1 << bitDepth)
        {
            switch (PngPaletteIndexCheck.FindIndexBeyond(memory, runStart, runEnd, (int)found.Width, (int)found.Height, bitDepth, interlace, paletteEntries, out string? beyond))
            {
                case PngPaletteIndexCheck.Outcome.IndexBeyond:
                    return found.Damaged(beyond!);
                case PngPaletteIndexCheck.Outcome.AllIndicesNamed:
                    // Every row is there; the checksum at the end still tells whether they are the rows written.
                    return Png.ZlibTrailer.ChecksumProblem(() => new PngIdatRunStream(memory, runStart, runEnd), needed) is string sum
                        ? found.Damaged(sum) : found.Intact();
            }
        }

        using var run = new PngIdatRunStream(memory, runStart, runEnd);
        ZlibHeader? zlib = ZlibHeader.Read(run);
        // Said before inflating: data that uses the dictionary fails at once, in words about corrupt data.
        if (zlib is { NeedsDictionary: true })
            return found.Damaged("the PNG image data asks for a preset zlib dictionary, which PNG does not provide (libpng refuses it)");
        if (zlib is not { IsDeflate: true }) return found.Damaged("the PNG image data does not start with a zlib header");
        long rowBytes = interlace == 0 ? RowBytes(found.Width, bitDepth, colorType) : 0;
        long produced = InflateCounter.Count(run, needed, rowBytes, out string? error, out long badFilterRow, out int badFilterType);
        // A row whose filter type PNG does not define: libpng stops there ("bad adaptive filter value"), ImageSharp with
        // "Unknown filter type." and neither says where.
        if (badFilterRow > 0)
            return found.Damaged($"row {Plain.N(badFilterRow)} of {Plain.N(found.Height)} of the PNG image data has filter type {badFilterType}, which PNG does not define (0-4): bytes of it were lost or changed");
        if (produced >= needed && cutAfterData is null)
        {
            // Enough bytes, but bytes dropped from the middle still leave enough: the checksum at the end tells.
            return Png.ZlibTrailer.ChecksumProblem(() => new PngIdatRunStream(memory, runStart, runEnd), needed) is string checksum
                ? found.Damaged(checksum) : found.Intact();
        }
        if (produced >= needed) return found.Damaged(cutAfterData!);

        string shortfall = interlace == 1
            ? $"the interlaced PNG image data ends in pass {PassAt(produced, found.Width, found.Height, bitDepth, colorType)} of 7 ({Plain.N(produced)} of the {Plain.Bytes(needed)} the pixels need)"
            : $"the PNG image data ends after {Plain.Rows(produced / RowBytes(found.Width, bitDepth, colorType), found.Height)}";
        if (runCut)
            return found.Damaged(cutChunk == "header"
                ? $"{shortfall}: the file ends after IDAT chunk {runChunks}, inside the next chunk's header"
                : $"{shortfall}: the file ends inside the '{cutChunk}' chunk after IDAT chunk {runChunks}");
        if (runAtEnd) return found.Damaged($"{shortfall}: the file ends after IDAT chunk {runChunks}");
        // .NET's words for corrupt deflate data speak of an "unsupported compression method": left out.
        if (error is not null)
            return found.Damaged(error.Contains("unsupported compression method", StringComparison.Ordinal)
                ? $"{shortfall}: the compressed data is corrupt" : $"{shortfall}: the compressed data is corrupt ({error.TrimEnd('.')})");
        if (runStoppedBy is not null && sawIdatAfterRun)
            return found.Unsupported($"{shortfall}: {runStoppedBy} splits the image data, and ImageSharp 2.1 reads only the part before it");
        return found.Damaged($"{shortfall} (the compressed data stops there)");
    }

    /// <summary>
    /// A whole chunk against the PNG specification's rules that libpng refuses and ImageSharp 2.1 reads past: one
    /// header; one palette; for a palette image, a palette of whole 3-byte colours, 1 to 256 of them (more than the
    /// bit depth's indices can name is cut down by libpng, not refused, so it passes here too; a palette in a grey or
    /// truecolour image does not make its pixels, and libpng ignores a bad one, so only its repetition counts); and no
    /// critical chunk the format does not define (a decoder that does not know one cannot show the image as meant).
    /// A type that is not four letters is left to the rest of the scan (it is damage, not a chunk, and the image
    /// data's shortfall says more). Null when the chunk is fine; else the problem, and whether it makes the file
    /// unsupported (the unknown critical chunk) rather than damaged.
    /// </summary>
    private static (string Problem, bool Unsupported)? CheckChunk(uint type, string name, int at, int length, int index, byte colorType, bool sawPalette)
    {
        if (index > 0 && type == IHDR) return ($"the PNG has a second IHDR header chunk, at byte {Plain.N(at)}", false);
        if (type == PLTE && sawPalette) return ("the PNG has a second PLTE (palette) chunk", false);
        if (type == PLTE && colorType == 3)
        {
            if (length == 0 || length % 3 != 0)
                return ($"the PNG palette (PLTE) holds {Plain.Bytes(length)}, not a whole number of 3-byte colours", false);
            if (length / 3 > 256) return ($"the PNG palette (PLTE) holds {Plain.N(length / 3)} colours, more than 256", false);
        }
        bool critical = (type & 0x20000000) == 0; // the first letter upper-case
        if (critical && IsFourLetters(type) && type is not (IHDR or PLTE or IDAT or IEND))
            return ($"the PNG holds a critical chunk '{name}' that the PNG format does not define, so no decoder can show it as meant", true);
        return null;
    }

    private static bool IsFourLetters(uint type)
    {
        for (int shift = 0; shift < 32; shift += 8)
        {
            uint c = (type >> shift) & 0xFF;
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z')) return false;
        }
        return true;
    }

    private static string? CheckHeader(long width, long height, byte bitDepth, byte colorType, byte compression, byte filter, byte interlace)
    {
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
            return $"the PNG header gives a size of {Plain.Size(width, height)}";
        bool valid = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => false,
        };
        if (!valid) return $"the PNG header gives bit depth {bitDepth} for colour type {colorType}, which PNG does not allow";
        if (compression != 0 || filter != 0) return "the PNG header names an unknown compression or filter method";
        if (interlace > 1) return $"the PNG header names an unknown interlace method ({interlace})";
        return null;
    }

    private static int Channels(byte colorType) => colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    /// <summary>A scanline of <paramref name="columns"/> pixels: the filter byte and the packed samples.</summary>
    private static long RowBytes(long columns, byte bitDepth, byte colorType) =>
        1 + (Saturating.Multiply(columns, (long)Channels(colorType) * bitDepth) + 7) / 8;

    /// <summary>The inflated size of the image data: every row of every pass, each with its filter byte.</summary>
    internal static long ImageDataBytes(long width, long height, byte bitDepth, byte colorType, byte interlace)
    {
        if (interlace == 0) return Saturating.Multiply(height, RowBytes(width, bitDepth, colorType));
        long total = 0;
        for (int pass = 0; pass < 7; pass++) total = Saturating.Add(total, PassBytes(pass, width, height, bitDepth, colorType));
        return total;
    }

    private static long PassBytes(int pass, long width, long height, byte bitDepth, byte colorType)
    {
        (long columns, long rows) = Adam7.Size(pass, width, height);
        return columns == 0 || rows == 0 ? 0 : Saturating.Multiply(rows, RowBytes(columns, bitDepth, colorType));
    }

    /// <summary>The pass (1 to 7) the interlaced data ends in.</summary>
    private static int PassAt(long produced, long width, long height, byte bitDepth, byte colorType)
    {
        long total = 0;
        for (int pass = 0; pass < 7; pass++)
        {
            total = Saturating.Add(total, PassBytes(pass, width, height, bitDepth, colorType));
            if (produced < total) return pass + 1;
        }
        return 7;
    }

    /// <summary>zTXt, iCCP and compressed iTXt: inflated into a counter up to the limit (and within a budget for the whole file).</summary>
    private static void CheckCompressedMetadata(ScanFindings found, uint type, string name, int offset, ReadOnlyMemory<byte> data,
        long limit, ref long budget)
    {
        ReadOnlySpan<byte> span = data.Span;
        int keyword = span.IndexOf((byte)0);
        if (keyword < 0) return;
        int start = keyword + 2; // the compression method byte, then the zlib stream
        if (type == iTXt)
        {
            if (span.Length < keyword + 3 || span[keyword + 1] == 0) return; // uncompressed text
            int language = span[(keyword + 3)..].IndexOf((byte)0);
            if (language < 0) return;
            int translated = span[(keyword + 4 + language)..].IndexOf((byte)0);
            if (translated < 0) return;
            start = keyword + 5 + language + translated;
        }
        if (start > data.Length) return;
        if (budget <= 0 || data.Length > limit)
        {
            found.AddOversized(new MetadataBlock(name, offset, data.Length, data.Length));
            return;
        }
        var source = new ReadOnlyMemoryStream(data[start..]);
        if (!InflateCounter.SkipZlibHeader(source)) return; // ImageSharp skips such a chunk
        long expanded = InflateCounter.Count(source, Math.Min(limit, budget) + 1, out _);
        budget -= expanded;
        if (expanded > limit || budget < 0) found.AddOversized(new MetadataBlock(name, offset, data.Length, expanded));
    }
}
