using System.Buffers.Binary;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// TIFF and BigTIFF in both byte orders: the chain of image directories (one per page), and on each page the
/// strips (or tiles): their offsets and byte counts against the file, their number against the rows, and for
/// uncompressed strips their length against rows x stride, for LZW, Deflate and PackBits strips the length they expand to,
/// for CCITT fax strips the whole rows their codes hold.
/// </summary>
/// <remarks>
/// Damage: a directory that lies past the end ("page 3's directory lies beyond the end of the file", which
/// ImageSharp 2.1 takes silently for the last page), a directory cut by the end of the file, a chain that does
/// not move forward (a loop; ImageSharp also refuses a chain that goes back), a strip past the end ("the TIFF strip
/// 7 lies beyond the end of the file") or cut short by it, an uncompressed strip shorter than its rows, fewer
/// strips than the rows need, a compressed strip too small for its rows at the best ratio the method allows
/// (LZW 4,096:1, Deflate 1,100:1, PackBits 64:1), an LZW, Deflate or PackBits strip that expands to fewer bytes than its
/// rows need ("the TIFF strip 3 inflates to 1,234 of the 4,000 bytes its rows need"; YCbCr, compressed or not, counted in
/// its subsampled data units), a Modified Huffman, one-dimensional T.4 or T.6 fax strip whose codes hold fewer whole rows than it
/// should ("the TIFF strip 3 holds 12 of the 40 rows it should (T.4 fax codes)", <see cref="FaxRowCounter"/>), a JPEG
/// strip whose scans end early (decoded as a standalone JPEG's are), RowsPerStrip 0, a missing size or strip table.
/// Unsupported: tiles and compressions ImageSharp 2.1 does not read (after the same bounds checks; T.4 fax data coded in
/// two dimensions among them), and layouts it decodes into other pixels without an error: samples in separate planes
/// with a predictor, YCbCr with a predictor, floating-point samples of 16 or 64 bits, CCITT fax data marked MinIsBlack;
/// and YCbCr subsampled with more rows than columns to a block, which it fails on.
/// Tolerated: data between and after the pages, an uncompressed strip whose byte count is larger than its rows need (a
/// last strip counted as full) as long as the rows' bytes are in the file, SubIFDs and EXIF directories (not followed,
/// as ImageSharp does not decode them).
/// </remarks>
internal static class TiffScanner
{
    /// <summary>One directory entry: its type, value count, and where its values start (-1 when past the end of the file).</summary>
    private readonly record struct Field(ushort Type, long Count, long ValuesAt)
    {
        public bool Present => Count > 0;
    }

    private readonly ref struct Reader(ReadOnlyMemory<byte> memory, bool littleEndian, bool bigTiff)
    {
        public readonly ReadOnlyMemory<byte> Memory = memory;
        public readonly ReadOnlySpan<byte> File = memory.Span;
        public readonly bool BigTiff = bigTiff;

        public ushort U16(long at) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(File[(int)at..]) : BinaryPrimitives.ReadUInt16BigEndian(File[(int)at..]);

        public uint U32(long at) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(File[(int)at..]) : BinaryPrimitives.ReadUInt32BigEndian(File[(int)at..]);

        public long U64(long at)
        {
            ulong value = littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(File[(int)at..]) : BinaryPrimitives.ReadUInt64BigEndian(File[(int)at..]);
            return value > long.MaxValue ? long.MaxValue : (long)value;
        }

        public long Offset(long at) => BigTiff ? U64(at) : U32(at);

        /// <summary>Value <paramref name="index"/> of an integer field (BYTE, SHORT, LONG, IFD, LONG8, IFD8).</summary>
        public long Value(Field field, long index) => field.Type switch
        {
            1 => File[(int)(field.ValuesAt + index)],
            3 => U16(field.ValuesAt + 2 * index),
            4 or 13 => U32(field.ValuesAt + 4 * index),
            16 or 18 => U64(field.ValuesAt + 8 * index),
            _ => 0,
        };
    }

    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    public static IntegrityReport Scan(ReadOnlyMemory<byte> memory, IntegrityOptions options)
    {
        ReadOnlySpan<byte> file = memory.Span;
        var found = new ScanFindings(ImageFileFormat.Tiff) { Frames = 0, DecodedPixels = 0 };
        bool littleEndian = file[0] == 'I';
        bool bigTiff = (littleEndian ? file[2] : file[3]) == 43;
        if (bigTiff && file.Length < 16) return found.Damaged("the file ends inside the BigTIFF header");
        var reader = new Reader(memory, littleEndian, bigTiff);

        long offset = bigTiff ? reader.U64(8) : reader.U32(4), previous = 0;
        long pixels = 0, firstWidth = -1, firstHeight = -1;
        bool sizesDiffer = false;
        int page = 0;
        while (offset != 0)
        {
            if (offset >= file.Length)
            {
                found.Frames = page;
                found.DecodedPixels = pixels;
                return found.Damaged(page == 0
                    ? $"the TIFF's first directory should be at byte {Plain.N(offset)} but the file has {Plain.Bytes(file.Length)}"
                    : $"page {page + 1}'s directory lies beyond the end of the file (byte {Plain.N(offset)} of {Plain.N(file.Length)}): the file is cut short or its directory chain is broken");
            }
            if (offset <= previous)
            {
                found.Frames = page;
                found.DecodedPixels = pixels;
                return found.Damaged($"the TIFF's directory chain goes back from byte {Plain.N(previous)} to {Plain.N(offset)} after page {page} (a loop, or an order ImageSharp 2.1 refuses)");
            }
            page++;
            string? problem = ScanPage(found, reader, options, offset, page, out long next, out (long Width, long Height) size, out bool unsupported);
            long pagePixels = Saturating.Multiply(size.Width, size.Height);
            pixels = Saturating.Add(pixels, pagePixels);
            found.Frames = page;
            found.DecodedPixels = pixels;
            if (problem is not null) return unsupported ? found.Unsupported(problem) : found.Damaged(problem);
            if (page == 1) (firstWidth, firstHeight) = size;
            else sizesDiffer |= size != (firstWidth, firstHeight);
            previous = offset;
            offset = next;
        }
        if (page == 0) return found.Damaged("the TIFF has no image directory");
        if (sizesDiffer) return found.Unsupported($"the TIFF's {page} pages differ in size, which ImageSharp 2.1 refuses");
        return found.Intact();
    }

    /// <summary>Reads one directory and checks its page; returns the problem or null.</summary>
    private static string? ScanPage(ScanFindings found, Reader reader, IntegrityOptions options, long offset, int page, out long next, out (long Width, long Height) size, out bool unsupported)
    {
        next = 0;
        size = (0, 0);
        unsupported = false;
        ReadOnlySpan<byte> file = reader.File;
        int countSize = reader.BigTiff ? 8 : 2, entrySize = reader.BigTiff ? 20 : 12, offsetSize = reader.BigTiff ? 8 : 4;
        string cut = $"the file ends inside the directory of TIFF page {page}";
        if (file.Length - offset < countSize) return cut;
        long count = reader.BigTiff ? reader.U64(offset) : reader.U16(offset);
        long entries = offset + countSize;
        if (count > (file.Length - entries) / entrySize) return cut;
        long nextAt = entries + count * entrySize;
        if (file.Length - nextAt < offsetSize) return cut;
        next = reader.Offset(nextAt);

        Field width = default, height = default, bits = default, compression = default, samples = default, rowsPerStrip = default;
        Field photometric = default, fillOrder = default, orientation = default, planar = default, predictor = default, stripOffsets = default, stripCounts = default, tileOffsets = default, tileCounts = default;
        Field sampleFormat = default, subsampling = default, jpegTables = default, faxOptions = default;
        bool tiled = false;
        var seen = new HashSet<ushort>();
        for (long i = 0; i < count; i++)
        {
            long at = entries + i * entrySize;
            ushort tag = reader.U16(at);
            if (tag is not (ImageWidth or ImageLength or BitsPerSample or Compression or Photometric or StripOffsets or SamplesPerPixel
                or RowsPerStrip or StripByteCounts or FillOrder or Orientation or PlanarConfiguration or Predictor or TileWidth or TileLength or TileOffsets or TileByteCounts
                or SampleFormat or YCbCrSubSampling or JpegTables or T4Options))
                continue;
            // A tag given twice counts once, the first time, as libtiff ("Duplicate field ignored"), ImageSharp and
            // our own readers take it: checking the last entry passed pages the decoders read at another size.
            if (!seen.Add(tag)) continue;
            ushort type = reader.U16(at + 2);
            long values = reader.BigTiff ? reader.U64(at + 4) : reader.U32(at + 4);
            long valueField = at + (reader.BigTiff ? 12 : 8);
            long bytes = Saturating.Multiply(values, TypeSize(type));
            long valuesAt = bytes <= offsetSize ? valueField : reader.Offset(valueField);
            if (valuesAt > file.Length - bytes) valuesAt = -1;
            var field = new Field(type, TypeSize(type) == 0 ? 0 : values, valuesAt);
            switch (tag)
            {
                case ImageWidth: width = field; break;
                case ImageLength: height = field; break;
                case BitsPerSample: bits = field; break;
                case Compression: compression = field; break;
                case SamplesPerPixel: samples = field; break;
                case RowsPerStrip: rowsPerStrip = field; break;
                case Photometric: photometric = field; break;
                case PlanarConfiguration: planar = field; break;
                case Predictor: predictor = field; break;
                case Orientation: orientation = field; break;
                case FillOrder: fillOrder = field; break;
                case StripOffsets: stripOffsets = field; break;
                case StripByteCounts: stripCounts = field; break;
                case TileOffsets: tileOffsets = field; tiled = true; break;
                case TileByteCounts: tileCounts = field; tiled = true; break;
                case SampleFormat: sampleFormat = field; break;
                case YCbCrSubSampling: subsampling = field; break;
                case JpegTables: jpegTables = field; break;
                case T4Options: faxOptions = field; break;
                default: tiled = true; break;
            }
        }

        string where = page == 1 ? "the TIFF" : $"TIFF page {page}";
        foreach (Field field in (ReadOnlySpan<Field>)[width, height, bits, compression, photometric, fillOrder, orientation, samples, rowsPerStrip, planar, predictor, stripOffsets, stripCounts, tileOffsets, tileCounts, sampleFormat, subsampling, jpegTables, faxOptions])
            if (field.Present && field.ValuesAt < 0) return $"{where} has a directory entry whose values lie beyond the end of the file";
        if (!width.Present || !height.Present) return $"{where} has no {(!width.Present ? "width" : "height")} (ImageWidth or ImageLength tag)";
        // An entry that says how to read the pixels must be one whole number: libtiff refuses such an entry of another
        // type or count (or drops it, as it drops a Predictor), and ImageSharp took it for missing (Compression: none,
        // so compressed bytes became pixels).
        foreach ((ushort tag, Field field, string name) in (ReadOnlySpan<(ushort, Field, string)>)[
            (Compression, compression, "Compression"), (Photometric, photometric, "PhotometricInterpretation"), (SamplesPerPixel, samples, "SamplesPerPixel"),
            (PlanarConfiguration, planar, "PlanarConfiguration"), (Predictor, predictor, "Predictor"), (BitsPerSample, bits, "BitsPerSample")])
        {
            bool integer = field.Type is 1 or 3 or 4 or 16 && field.Present;
            if (seen.Contains(tag) && (!integer || (tag != BitsPerSample && field.Count != 1)))
                return $"{where}'s {name} entry is not one whole number (type {field.Type}, {Plain.N(field.Count)} values), which libtiff refuses or drops";
        }
        long columns = reader.Value(width, 0), rows = reader.Value(height, 0);
        if (page == 1)
        {
            found.Width = columns;
            found.Height = rows;
            // ImageSharp 2.1 keeps the pixels as stored; the decode turns them as the tag says, as for a JPEG's EXIF.
            // A tag of several values libtiff ignores ("Incorrect count"), and so does the decode, saying so.
            if (orientation.Present && reader.Value(orientation, 0) is >= 1 and <= 8 and long turn)
            {
                if (orientation.Count == 1) found.Orientation = (int)turn;
                else if (turn >= 2) found.MalformedOrientation = new Decoding.MalformedOrientation(orientation.Count, turn);
            }
        }
        size = (columns, rows);
        if (columns == 0 || rows == 0) return $"{where} gives a size of {Plain.Size(columns, rows)}";
        if (columns > int.MaxValue || rows > int.MaxValue) return $"{where} is {Plain.Size(columns, rows)} pixels, more than the decoder can hold";

        long method = compression.Present ? reader.Value(compression, 0) : 1;
        long channels = samples.Present ? reader.Value(samples, 0) : 1;
        bool separatePlanes = planar.Present && reader.Value(planar, 0) == 2;
        if (channels is < 1 or > 64) return $"{where} gives {channels} samples per pixel";
        Span<long> planeBits = stackalloc long[(int)channels];
        for (int c = 0; c < channels; c++)
            planeBits[c] = !bits.Present ? 1 : reader.Value(bits, Math.Min(c, bits.Count - 1));
        long pixelBits = 0, sampleBits = 0;
        foreach (long b in planeBits)
        {
            pixelBits += b;
            sampleBits = Math.Max(sampleBits, b);
        }
        if (page == 1) found.SampleBits = (int)Math.Min(int.MaxValue, sampleBits);
        if (pixelBits is 0 or > 1024) return $"{where} gives {pixelBits} bits per pixel";

        if (tiled)
        {
            string? tileProblem = CheckBounds(reader, tileOffsets, tileCounts, page);
            if (tileProblem is not null) return tileProblem;
            unsupported = true;
            return $"{where} is stored in tiles, which ImageSharp 2.1 does not decode";
        }
        if (!stripOffsets.Present) return $"{where} has no strip offsets";
        if (!stripCounts.Present) return $"{where} has no strip byte counts";

        long perStrip = rowsPerStrip.Present ? reader.Value(rowsPerStrip, 0) : rows;
        if (perStrip == 0) return $"{where} gives 0 rows per strip";
        perStrip = Math.Min(perStrip, rows);
        long stripsPerPlane = (rows + perStrip - 1) / perStrip;
        int planes = separatePlanes ? (int)channels : 1;
        long strips = stripsPerPlane * planes;
        if (stripOffsets.Count < strips)
            return $"{where} lists {Plain.N(stripOffsets.Count)} strip{(stripOffsets.Count == 1 ? "" : "s")} but needs {Plain.N(strips)} for its {Plain.N(rows)} rows";
        if (stripCounts.Count < strips)
            return $"{where} lists {Plain.N(stripOffsets.Count)} strip offsets but {Plain.N(stripCounts.Count)} byte counts";
        // More strips than the rows need, the last needed one partly used (a height cut after the strips were written):
        // libtiff reads the rows it needs, ImageSharp 2.1 leaves that strip's rows black.
        if (planes == 1 && stripOffsets.Count > strips && rows % perStrip != 0)
        {
            unsupported = true;
            return $"{where} lists {Plain.N(stripOffsets.Count)} strips where its {Plain.N(rows)} rows need {Plain.N(strips)}, the last of them partly used, which ImageSharp 2.1 decodes into black rows";
        }

        long colourModel = photometric.Present ? reader.Value(photometric, 0) : -1;
        long predicted = predictor.Present ? reader.Value(predictor, 0) : 1;
        long ratio = method switch { 5 => 4096, 8 or 32946 => 1100, 32773 => 64, _ => 0 };
        // LZW, Deflate and PackBits strips are expanded into a counter (nothing kept) to see that they hold their rows:
        // a strip cut short with its byte count set to match is otherwise padded without a word. YCbCr of 8-bit
        // samples in one plane is counted in its subsampled data units (h x v luma samples and two chroma samples for
        // each h x v block), bytes stored with their bits reversed (FillOrder 2) after putting them in order, as libtiff
        // reads them; other YCbCr is not, nor a page above the pixel limit.
        long unitWidth = 1, unitHeight = 1;
        bool ycbcr = colourModel == 6;
        if (ycbcr)
        {
            unitWidth = subsampling.Present ? reader.Value(subsampling, 0) : 2;
            unitHeight = subsampling.Present && subsampling.Count > 1 ? reader.Value(subsampling, 1) : 2;
        }
        bool countable = !ycbcr || (channels == 3 && !separatePlanes && pixelBits == 24 && sampleBits == 8
            && unitWidth is 1 or 2 or 4 && unitHeight is 1 or 2 or 4);
        bool reversedBits = fillOrder.Present && reader.Value(fillOrder, 0) == 2;
        bool withinLimit = Saturating.Multiply(columns, rows) <= options.MaxPixels;
        bool expand = method is 5 or 8 or 32946 or 32773 && countable && withinLimit;
        // CCITT strips are walked code by code to count their whole rows (bits reversed for FillOrder 2 as decoders
        // read them): ImageSharp pads a Modified Huffman or T.4 strip cut short with white rows. Not a page refused
        // below as MinIsBlack, nor T.4 coded in two dimensions (which ImageSharp 2.1 does not decode), nor one above
        // the pixel limit.
        bool twoDimensionalT4 = method == 3 && faxOptions.Present && (reader.Value(faxOptions, 0) & 1) != 0;
        FaxCoding? fax = method switch
        {
            2 => FaxCoding.ModifiedHuffman,
            3 when !twoDimensionalT4 => FaxCoding.T4OneDimensional,
            4 => FaxCoding.T6,
            _ => null,
        };
        if (colourModel == 1 || !withinLimit) fax = null;
        for (long s = 0; s < strips; s++)
        {
            int plane = (int)(s / stripsPerPlane);
            long k = s % stripsPerPlane;
            long stripRows = k == stripsPerPlane - 1 ? rows - perStrip * k : perStrip;
            long stride = (Saturating.Multiply(columns, separatePlanes ? planeBits[plane] : pixelBits) + 7) / 8;
            // The bytes come in bands of rows: one row each, or for subsampled YCbCr one row of h x v blocks, compressed
            // or not (libtiff's TIFFVStripSize; an uncompressed strip sized at full rows was refused as short).
            long bandRows = 1, bandBytes = stride;
            if (ycbcr && countable)
                (bandRows, bandBytes) = (unitHeight, Saturating.Multiply((columns + unitWidth - 1) / unitWidth, unitWidth * unitHeight + 2));
            long raw = Saturating.Multiply((stripRows + bandRows - 1) / bandRows, bandBytes);
            long start = reader.Value(stripOffsets, s), length = reader.Value(stripCounts, s);
            string strip = page == 1 ? $"TIFF strip {Plain.N(s + 1)}" : $"TIFF strip {Plain.N(s + 1)} of page {page}";
            if (method == 1)
            {
                if (length < raw) return $"the {strip} holds {Plain.Bytes(length)} of the {Plain.N(raw)} its rows need";
                if (start >= file.Length) return $"the {strip} lies beyond the end of the file";
                if (raw > file.Length - start)
                {
                    long rowsHeld = planes == 1 ? perStrip * k + (file.Length - start) / Math.Max(bandBytes, 1) * bandRows : -1;
                    return rowsHeld >= 0
                        ? $"the file ends inside {strip}: the image data ends after {Plain.Rows(rowsHeld, rows)}"
                        : $"the file ends inside {strip}";
                }
                continue;
            }
            if (length == 0) return $"the {strip} is empty";
            if (start >= file.Length) return $"the {strip} lies beyond the end of the file";
            if (length > file.Length - start) return $"the file ends inside {strip} ({Plain.N(file.Length - start)} of its {Plain.Bytes(length)} are there)";
            if (ratio > 0 && raw > Saturating.Add(Saturating.Multiply(length, ratio), 1024))
                return $"the {strip} holds {Plain.Bytes(length)} of compressed data, too few for the {Plain.Bytes(raw)} its rows need";
            if (expand)
            {
                ReadOnlyMemory<byte> data = reader.Memory.Slice((int)start, (int)length);
                if (reversedBits)
                {
                    byte[] inOrder = data.ToArray();
                    Tiff.ReversedFillOrder.Reverse(inOrder);
                    data = inOrder;
                }
                string? shortfall = CheckExpandedLength(data, method, raw, strip);
                if (shortfall is not null) return shortfall;
            }
            if (fax is FaxCoding coding)
            {
                long held = FaxRowCounter.Count(file.Slice((int)start, (int)length), (int)columns, stripRows, coding, reversedBits, out string? error);
                if (held < stripRows)
                {
                    string shortfall = $"the {strip} holds {Plain.N(held)} of the {Plain.N(stripRows)} rows it should ({FaxRowCounter.Name(coding)} fax codes)";
                    return error is null ? shortfall : $"{shortfall}, then its data is corrupt ({error})";
                }
            }
            // A JPEG strip's scans are decoded (and dropped) as a standalone JPEG's are: cut short with its end-of-image
            // marker put back and its byte count set to match, ImageSharp padded it into a picture.
            if (method == 7 && withinLimit && JpegStripProblem(reader.Memory.Span, jpegTables, start, length) is string jpeg)
                return $"the {strip} is a damaged JPEG: {jpeg}";
        }
        // RGB and YCbCr need three samples a pixel (libtiff refuses fewer, "colorchannels < 3"); ImageSharp read such a
        // page by its BitsPerSample count instead.
        if (colourModel is 2 or 6 && channels < 3)
            return $"{where} says {(colourModel == 2 ? "RGB" : "YCbCr")} but gives {channels} sample{(channels == 1 ? "" : "s")} a pixel, which libtiff refuses";
        // The predictor, which libtiff's LZW and Deflate decoders apply and check: a value they do not know, or
        // differencing of samples they cannot difference, fails there; ImageSharp 2.1 decodes the data without undoing it.
        bool predictedFloats = predicted == 3 && sampleFormat.Present && reader.Value(sampleFormat, 0) == 3;
        if (method is 5 or 8 or 32946 && predicted is not (1 or 2) && !predictedFloats)
            return $"{where} gives an unknown Predictor ({predicted}) for its {(method == 5 ? "LZW" : "Deflate")} data, which libtiff refuses";
        if (method is 5 or 8 or 32946 && predicted == 2 && sampleBits is not (8 or 16 or 32 or 64))
            return $"{where} asks for horizontal differencing (Predictor 2) of {sampleBits}-bit samples, which libtiff refuses";
        // JPEG data is decoded strip by strip by our JPEG decoder (Tiff.TiffJpegStrips): grey (MinIsWhite or MinIsBlack)
        // or RGB or YCbCr of 8-bit samples in one plane, in a classic TIFF. Other layouts are refused: ImageSharp 2.1
        // would read them into other colours (a stated subsampling applied twice, chroma repeated, samples of other
        // sizes taken for 8 bits).
        bool jpegLayout = !reader.BigTiff && !separatePlanes && sampleBits == 8 && pixelBits == 8 * channels
            && Tiff.TiffJpegStrips.TakesLayout(channels, colourModel);
        if (method == 7 && page == 1 && !jpegLayout)
        {
            unsupported = true;
            return $"{where} holds JPEG-compressed data {(reader.BigTiff ? "in a BigTIFF" : separatePlanes ? "in separate planes" : colourModel < 0 ? "without a PhotometricInterpretation" : $"of {channels} sample{(channels == 1 ? "" : "s")} of {sampleBits} bits, photometric {colourModel}")}, which only ImageSharp 2.1 would read, into other colours";
        }
        if (method is not (1 or 2 or 3 or 4 or 5 or 7 or 8 or 32773 or 32946))
        {
            unsupported = true;
            return $"{where} uses compression {method}, which ImageSharp 2.1 does not decode";
        }
        if (twoDimensionalT4)
        {
            unsupported = true;
            return $"{where} holds CCITT T.4 fax data coded in two dimensions (T4Options bit 0), which ImageSharp 2.1 does not decode";
        }
        // Two layouts ImageSharp 2.1 decodes without an error into other pixels: refused rather than misread.
        if (separatePlanes && channels > 1 && predicted != 1)
        {
            unsupported = true;
            return $"{where} stores its {channels} samples in separate planes with a predictor ({predicted}), which ImageSharp 2.1 decodes into wrong colours";
        }
        if (ycbcr && predicted != 1 && method != 7)
        {
            unsupported = true;
            return $"{where} holds YCbCr samples with a predictor ({predicted}), which ImageSharp 2.1 decodes without undoing it, into other colours";
        }
        // TIFF 6.0 allows no more rows than columns to a subsampling block; libtiff reads 1 x 2, ImageSharp 2.1 fails on it.
        if (ycbcr && method != 7 && unitHeight > unitWidth)
        {
            unsupported = true;
            return $"{where} holds YCbCr samples subsampled {unitWidth} x {unitHeight} (more rows than columns to a block, which TIFF 6.0 does not allow), which ImageSharp 2.1 does not decode";
        }
        if (sampleFormat.Present && reader.Value(sampleFormat, 0) == 3 && sampleBits is 16 or 64)
        {
            unsupported = true;
            return $"{where} holds floating-point samples of {sampleBits} bits, which ImageSharp 2.1 decodes into other values";
        }
        if (method is 2 or 3 or 4 && colourModel == 1)
        {
            unsupported = true;
            return $"{where} is a CCITT fax image whose 0 means black (MinIsBlack), which ImageSharp 2.1 decodes inverted";
        }
        return null;
    }

    /// <summary>
    /// The problem in a JPEG-compressed strip's entropy-coded data, or null: the strip, after the shared JPEGTables
    /// (their end-of-image marker and the strip's start-of-image marker dropped), is checked as a JPEG file is
    /// (<see cref="Jpeg.ExactJpegDecoder.ScanProblem"/>). Kinds the JPEG reader does not read are left to ImageSharp (null).
    /// </summary>
    private static string? JpegStripProblem(ReadOnlySpan<byte> file, Field tables, long start, long length)
    {
        ReadOnlySpan<byte> strip = file.Slice((int)start, (int)length);
        ReadOnlySpan<byte> shared = tables.Present && tables.ValuesAt >= 0 ? file.Slice((int)tables.ValuesAt, (int)tables.Count) : [];
        byte[] jpeg = Tiff.TiffJpegStrips.Assemble(shared, strip);
        return Jpeg.ExactJpegDecoder.ScanProblem(jpeg, CancellationToken.None);
    }

    /// <summary>
    /// Expands one LZW, Deflate (zlib) or PackBits strip into a counter, up to the <paramref name="raw"/> bytes its rows
    /// need (so the work is bounded by the page's pixels); the problem when it gives fewer, or null.
    /// </summary>
    private static string? CheckExpandedLength(ReadOnlyMemory<byte> data, long method, long raw, string strip)
    {
        long produced;
        string? error = null;
        if (method == 32773)
        {
            produced = PackBitsLength(data.Span, raw);
        }
        else if (method == 5)
        {
            if (Tiff.TiffLzwDecoder.IsOldStyle(data.Span)) return null;
            produced = Tiff.TiffLzwDecoder.Count(data.Span, raw, out bool corrupt);
            if (corrupt) error = "a code names no string yet";
        }
        else
        {
            var source = new ReadOnlyMemoryStream(data);
            if (!InflateCounter.SkipZlibHeader(source)) return $"the {strip} does not start with a zlib header";
            produced = InflateCounter.Count(source, raw, out error);
            // Enough bytes is not yet the right bytes: a changed byte inflates to other rows just as long, which libtiff
            // refuses at the strip's Adler-32 (ImageSharp stops at the rows and never reads it).
            if (produced >= raw && error is null)
                return Png.ZlibTrailer.ChecksumProblem(() => new ReadOnlyMemoryStream(data), raw, $"the {strip}");
        }
        if (produced >= raw) return null;
        string how = method == 32773 ? "unpacks" : method == 5 ? "decompresses" : "inflates";
        return error is null
            ? $"the {strip} {how} to {Plain.N(produced)} of the {Plain.Bytes(raw)} its rows need"
            : $"the {strip} {how} to {Plain.N(produced)} of the {Plain.Bytes(raw)} its rows need, then its data is corrupt ({error})";
    }

    /// <summary>
    /// The bytes PackBits data unpacks to, counted up to <paramref name="limit"/>: a header n of 0 to 127 copies
    /// the next n + 1 bytes (as many as are there), -1 to -127 repeats the next byte 1 - n times, -128 does nothing.
    /// </summary>
    private static long PackBitsLength(ReadOnlySpan<byte> data, long limit)
    {
        long produced = 0;
        int p = 0;
        while (p < data.Length && produced < limit)
        {
            sbyte header = (sbyte)data[p++];
            if (header >= 0)
            {
                int literal = Math.Min(header + 1, data.Length - p);
                produced += literal;
                p += literal;
            }
            else if (header != -128)
            {
                if (p >= data.Length) break;
                produced += 1 - header;
                p++;
            }
        }
        return produced;
    }

    /// <summary>Every offset + byte count pair within the file; null when they are.</summary>
    private static string? CheckBounds(Reader reader, Field offsets, Field counts, int page)
    {
        long n = Math.Min(offsets.Count, counts.Count);
        for (long i = 0; i < n; i++)
        {
            long start = reader.Value(offsets, i), length = reader.Value(counts, i);
            string tile = page == 1 ? $"TIFF tile {Plain.N(i + 1)}" : $"TIFF tile {Plain.N(i + 1)} of page {page}";
            if (start >= reader.File.Length) return $"the {tile} lies beyond the end of the file";
            if (length > reader.File.Length - start) return $"the file ends inside {tile}";
        }
        return null;
    }
}
