using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Reads a JPEG file's markers in order (T.81 annex B): the tables, the frame header, the scans and the end of
/// the image, refusing what is damaged and what this decoder does not support, and drives the decoding of the
/// scans. What is tolerated is what libjpeg tolerates in real files: bytes that are not markers between segments
/// and after a scan's data, fill bytes before markers, stray restart markers between scans, DNL markers when
/// the frame header gives the height, and anything after the end-of-image marker.
/// </summary>
internal sealed class JpegReader
{
    /// <summary>
    /// Scans allowed in one file. Real files have a few dozen at most; each scan costs a pass over every block of
    /// its components however little data it holds, so a file of thousands of tiny scans would take minutes.
    /// </summary>
    internal const int MaxScans = 256;

    private readonly byte[] _data;
    private readonly short[]?[] _quantTables = new short[]?[4];
    private readonly HuffmanTable?[] _dcTables = new HuffmanTable?[4];
    private readonly HuffmanTable?[] _acTables = new HuffmanTable?[4];
    private readonly JpegMetadataReader _metadata = new();
    private int _position;
    private int _markerAt;
    private int _restartInterval;
    private JpegFrame? _frame;
    private JpegHeader? _header;
    private int _scans;
    private readonly bool _fourComponentsToCheck;
    private readonly JpegColorSpace? _threeComponentsAs;

    /// <param name="data">The whole file.</param>
    /// <param name="fourComponentsToCheck">
    /// Accept a 4-component (CMYK or YCCK) frame, for <see cref="CheckScans"/> only: this decoder has no colour
    /// conversion for it.
    /// </param>
    /// <param name="threeComponentsAs">
    /// How to read a 3-component frame whatever its markers say, as a container that states it does (a TIFF's
    /// Photometric tag, which libtiff hands to libjpeg); null: libjpeg's own rule.
    /// </param>
    internal JpegReader(byte[] data, bool fourComponentsToCheck = false, JpegColorSpace? threeComponentsAs = null)
    {
        _data = data;
        _fourComponentsToCheck = fourComponentsToCheck;
        _threeComponentsAs = threeComponentsAs;
    }

    /// <summary>Reads everything up to the first scan header and checks the frame is one this decoder reads.</summary>
    internal JpegHeader ReadHeader()
    {
        if (_header is not null) return _header;
        if (_data.Length < 2 || _data[0] != 0xFF || _data[1] != JpegMarkers.Soi)
            throw new JpegFormatException("it is not a JPEG file (it does not start with the start-of-image marker FF D8)");
        _position = 2;
        while (true)
        {
            int marker = NextMarker();
            switch (marker)
            {
                case -1:
                    throw new JpegFormatException(_frame is null ? "the file ends before its frame header" : "the file ends before its image data");
                case JpegMarkers.Eoi:
                    throw new JpegFormatException("the file holds no image (its end-of-image marker comes before any image data)");
                case JpegMarkers.Sos:
                    if (_frame is null) throw new JpegFormatException("image data (a scan) comes before the frame header");
                    _position = _markerAt - 1; // read the scan header again when decoding
                    _header = BuildHeader(_frame);
                    return _header;
                default:
                    ReadSegment(marker);
                    break;
            }
        }
    }

    /// <summary>Decodes the image into <paramref name="destination"/>, row-major, reporting finished rows.</summary>
    internal JpegHeader Decode(Rgba32[] destination, Action<int>? rowsDone, JpegKernel kernel, CancellationToken cancellationToken)
    {
        JpegHeader header = ReadHeader();
        JpegFrame frame = _frame!;
        if (destination.LongLength < header.PixelCount)
            throw new ArgumentException($"Expected room for {header.PixelCount} pixels, got {destination.Length}.", nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        OutputStage? output = null;
        bool streamed = false;
        while (true)
        {
            int marker = NextMarker();
            switch (marker)
            {
                case -1:
                    throw new JpegFormatException(frame.IsProgressive || _scans > 1
                        ? $"no end-of-image marker (the file ends after scan {_scans}; it may be truncated)"
                        : "no end-of-image marker (the file ends after its image data; it may be truncated)");
                case JpegMarkers.Sos:
                {
                    if (streamed)
                        throw new JpegFormatException("a second scan follows a sequential scan that already coded every component");
                    ScanDecoder scan = ReadScan(frame, kernel, out bool codesEverything);
                    if (output is null)
                    {
                        output = new OutputStage(frame, header.ColorSpace, kernel, destination, rowsDone);
                        streamed = !frame.IsProgressive && codesEverything;
                        if (!streamed) AllocateCoefficients(frame);
                    }
                    if (streamed) scan.DecodeToOutput(output, cancellationToken);
                    else scan.DecodeToCoefficients(cancellationToken);
                    NoteLeftover(scan.LeftoverBytes, scan.FirstLeftoverAfterRows, scan.LeftoverSurelyReported);
                    _position = scan.End;
                    _afterScan = true;
                    break;
                }
                case JpegMarkers.Eoi:
                    if (output is null)
                        throw new JpegFormatException("the file holds no image data (its end-of-image marker comes before the first scan)");
                    if (!streamed) OutputCoefficients(frame, output, kernel, cancellationToken);
                    return header;
                default:
                    ReadSegment(marker);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads every scan's entropy-coded data without making pixels and checks that it covers the whole image, with
    /// the same errors as <see cref="Decode"/>: for the files left to another decoder (4-component ones), which
    /// pads data that breaks off. Sequential scans are decoded and dropped; progressive ones need their
    /// coefficients (2 bytes a sample), as they would to be decoded.
    /// </summary>
    internal void CheckScans(CancellationToken cancellationToken)
    {
        ReadHeader();
        JpegFrame frame = _frame!;
        bool allocated = false;
        while (true)
        {
            int marker = NextMarker();
            switch (marker)
            {
                case -1:
                    throw new JpegFormatException($"no end-of-image marker (the file ends after scan {_scans}; it may be truncated)");
                case JpegMarkers.Sos:
                {
                    ScanDecoder scan = ReadScan(frame, JpegKernels.Best, out _);
                    if (!frame.IsProgressive) scan.DecodeAndDiscard(cancellationToken);
                    else
                    {
                        if (!allocated) AllocateCoefficients(frame);
                        allocated = true;
                        scan.DecodeToCoefficients(cancellationToken);
                    }
                    NoteLeftover(scan.LeftoverBytes, scan.FirstLeftoverAfterRows, scan.LeftoverSurelyReported);
                    _position = scan.End;
                    _afterScan = true;
                    break;
                }
                case JpegMarkers.Eoi:
                    if (_scans == 0)
                        throw new JpegFormatException("the file holds no image data (its end-of-image marker comes before the first scan)");
                    CheckEveryComponentCoded(frame);
                    return;
                default:
                    ReadSegment(marker);
                    break;
            }
        }
    }

    /// <summary>
    /// Data no block used, when some was found (null for none): a phrase to follow "the JPEG's" (a warning's words).
    /// libjpeg warns about it ("Corrupt JPEG data: N extraneous bytes before marker") and decodes on; so does this
    /// reader, since encoders have left a stray byte or two in real files, but a byte changed in the data or a frame
    /// header that gives fewer rows or columns than the data holds leaves it too. Counted: what a scan left before the
    /// marker that ends it or one of its restart intervals, and bytes skipped between later markers (the intervals of
    /// rows beyond a frame header's height, after their restart markers).
    /// </summary>
    internal string? LeftoverProblem => _leftoverBytes == 0 ? null :
        $"compressed data holds {Plain.N(_leftoverBytes)} {(_leftoverBytes == 1 ? "byte" : "bytes")} that no block uses " +
        $"(the first after {_firstLeftover.Rows} of {_frame!.Height} rows{(_frame.IsProgressive || _scans > 1 ? $" in scan {_firstLeftover.Scan}" : "")}), " +
        (_leftoverSurelyReported
            ? "which libjpeg reports as corrupt JPEG data"
            : $"which libjpeg may not report (it may have read up to {ScanDecoder.LibjpegReadAhead} of them ahead as data, and reports as corrupt JPEG data only those beyond)") +
        ": the picture may be damaged from there on, or the frame header may give fewer rows or columns than the data holds";

    private long _leftoverBytes;
    private (int Scan, int Rows) _firstLeftover;

    /// <summary>Whether libjpeg reports some of the leftover whatever it had read ahead (<see cref="ScanDecoder.LeftoverSurelyReported"/>).</summary>
    private bool _leftoverSurelyReported;

    private static JpegFormatException TooManyScans() => new($"it has more than {MaxScans} scans (real images have a few dozen at most)");

    private static int ScanHeadersBeforeTheEnd(ReadOnlySpan<byte> data)
    {
        int count = 0;
        for (int i = data.IndexOf((byte)0xFF); i >= 0 && i + 1 < data.Length; )
        {
            if (data[i + 1] == JpegMarkers.Eoi) break;
            if (data[i + 1] == JpegMarkers.Sos && ++count > MaxScans) break;
            int next = data[(i + 1)..].IndexOf((byte)0xFF);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return count;
    }

    private bool _afterScan;

    private void NoteLeftover(long bytes, int afterRows, bool surelyReported)
    {
        if (bytes == 0) return;
        _leftoverSurelyReported |= surelyReported;
        if (_leftoverBytes == 0) _firstLeftover = (_scans, afterRows);
        _leftoverBytes += bytes;
    }

    /// <summary>
    /// The next marker from the current position; -1 at the end of the file. Bytes before it that are not a marker
    /// are skipped, as libjpeg skips them (with a warning).
    /// </summary>
    private int NextMarker()
    {
        (int code, int at) = JpegMarkers.Find(_data, _position);
        // After a scan its own count holds what it left; after any other marker of the image data, the bytes skipped
        // to this one (up to its fill bytes) are data no block used.
        if (_scans > 0 && !_afterScan && code >= 0) NoteLeftover(JpegMarkers.DataBefore(_data, _position).End - _position, _frame!.Height, surelyReported: true);
        _afterScan = false;
        _markerAt = at;
        _position = code < 0 ? _data.Length : at + 1;
        return code;
    }

    private void ReadSegment(int marker)
    {
        switch (marker)
        {
            case >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7:
            case JpegMarkers.Tem:
                return; // markers without a segment; a stray one is harmless
            case JpegMarkers.Soi:
                throw new JpegFormatException($"a second start-of-image marker at byte {_markerAt - 1}");
        }
        ReadOnlySpan<byte> data = Segment(marker);
        switch (marker)
        {
            case JpegMarkers.Sof0 or JpegMarkers.Sof1 or JpegMarkers.Sof2:
                if (_frame is not null) throw new JpegFormatException($"a second frame header (SOF) at byte {_markerAt - 1}");
                ReadFrame(marker, data);
                break;
            case 0xC3: throw new JpegNotSupportedException("lossless JPEG (SOF3) is not supported");
            case 0xC5 or 0xC6 or 0xC7 or JpegMarkers.Dhp or JpegMarkers.Exp:
                throw new JpegNotSupportedException("hierarchical JPEG is not supported");
            case 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF or JpegMarkers.Dac:
                throw new JpegNotSupportedException("arithmetic-coded JPEG is not supported");
            case JpegMarkers.Jpg:
            case >= JpegMarkers.Jpg0 and <= JpegMarkers.Jpg13:
                throw new JpegNotSupportedException($"JPEG extension marker FF {marker:X2} (JPEG-LS or another extension) is not supported");
            case JpegMarkers.Dht: ReadHuffmanTables(data); break;
            case JpegMarkers.Dqt: ReadQuantTables(data); break;
            case JpegMarkers.Dri:
                if (data.Length != 2) throw new JpegFormatException($"the restart interval (DRI) segment at byte {_markerAt - 1} has the wrong length");
                _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(data);
                break;
            case >= JpegMarkers.App0 and <= JpegMarkers.App15:
                if (_header is null) _metadata.Read(marker, data);
                break;
            case JpegMarkers.Com or JpegMarkers.Dnl:
                break;
            default:
                throw new JpegFormatException($"an unknown marker (FF {marker:X2}) at byte {_markerAt - 1}");
        }
    }

    /// <summary>The data of the segment whose marker was just read, after its two length bytes; moves past it.</summary>
    private ReadOnlySpan<byte> Segment(int marker)
    {
        if (_position > _data.Length - 2)
            throw new JpegFormatException($"the file ends inside its {JpegMarkers.Name(marker)} segment at byte {_markerAt - 1}");
        int length = BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(_position));
        if (length < 2)
            throw new JpegFormatException($"the {JpegMarkers.Name(marker)} segment at byte {_markerAt - 1} gives an impossible length ({length})");
        if (length > _data.Length - _position)
            throw new JpegFormatException($"the file ends inside its {JpegMarkers.Name(marker)} segment at byte {_markerAt - 1}");
        ReadOnlySpan<byte> data = _data.AsSpan(_position + 2, length - 2);
        _position += length;
        return data;
    }

    private void ReadQuantTables(ReadOnlySpan<byte> data)
    {
        int p = 0;
        while (p < data.Length)
        {
            int precision = data[p] >> 4, id = data[p] & 15;
            p++;
            if (precision > 1 || id > 3)
                throw new JpegFormatException($"a quantization table at byte {_markerAt - 1} has an invalid precision or number ({precision}, {id})");
            int bytes = 64 << precision;
            if (bytes > data.Length - p) throw new JpegFormatException($"a quantization table at byte {_markerAt - 1} is cut short");
            var table = new short[64];
            // libjpeg-turbo keeps the entries as 16-bit signed multipliers (ISLOW_MULT_TYPE), so a 16-bit entry of
            // 32,768 or more multiplies as a negative number.
            for (int k = 0; k < 64; k++)
                table[ZigZag.ToNatural[k]] = precision == 0 ? data[p + k] : BinaryPrimitives.ReadInt16BigEndian(data[(p + 2 * k)..]);
            _quantTables[id] = table;
            p += bytes;
        }
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> data)
    {
        int p = 0;
        while (p < data.Length)
        {
            int tableClass = data[p] >> 4, id = data[p] & 15;
            p++;
            if (tableClass > 1 || id > 3)
                throw new JpegFormatException($"a Huffman table at byte {_markerAt - 1} has an invalid class or number ({tableClass}, {id})");
            if (16 > data.Length - p) throw new JpegFormatException($"a Huffman table at byte {_markerAt - 1} is cut short");
            ReadOnlySpan<byte> counts = data.Slice(p, 16);
            p += 16;
            int total = 0;
            foreach (byte count in counts) total += count;
            if (total > data.Length - p) throw new JpegFormatException($"a Huffman table at byte {_markerAt - 1} is cut short");
            HuffmanTable table = HuffmanTable.Build(counts, data.Slice(p, total), tableClass == 0)
                ?? throw new JpegFormatException($"a Huffman table at byte {_markerAt - 1} is invalid (its code lengths do not form a code)");
            (tableClass == 0 ? _dcTables : _acTables)[id] = table;
            p += total;
        }
    }

    private void ReadFrame(int marker, ReadOnlySpan<byte> data)
    {
        if (data.Length < 6) throw new JpegFormatException("the frame header is too short");
        int precision = data[0], height = BinaryPrimitives.ReadUInt16BigEndian(data[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        int count = data[5];
        if (data.Length != 6 + 3 * count) throw new JpegFormatException("the frame header's length does not match its number of components");
        if (precision != 8) throw new JpegNotSupportedException($"{precision}-bit JPEG is not supported (only 8-bit samples)");
        if (height == 0) throw new JpegNotSupportedException("a JPEG whose height is given by a DNL marker after the image data is not supported");
        if (width == 0) throw new JpegFormatException("its frame header gives a width of 0");
        if (count == 0) throw new JpegFormatException("its frame header lists no components");
        if (count == 4 && !_fourComponentsToCheck) throw new JpegNotSupportedException("4-component (CMYK or YCCK) JPEG is not supported", othersRead: true);
        if (count is not (1 or 3 or 4)) throw new JpegNotSupportedException($"JPEG with {count} components is not supported (only 1 or 3)");
        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = data.Slice(6 + 3 * i, 3);
            int h = entry[1] >> 4, v = entry[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4)
                throw new JpegFormatException($"component {entry[0]} has invalid sampling factors ({h}x{v})");
            if (entry[2] > 3) throw new JpegFormatException($"component {entry[0]} refers to quantization table {entry[2]} (only 0 to 3 exist)");
            for (int j = 0; j < i; j++)
                if (components[j].Id == entry[0]) throw new JpegFormatException($"component id {entry[0]} appears twice in the frame header");
            components[i] = new JpegComponent(i, entry[0], h, v, entry[2]);
        }
        var frame = new JpegFrame(width, height, marker == JpegMarkers.Sof2, components);
        foreach (JpegComponent c in components)
            if (frame.MaxH % c.H != 0 || frame.MaxV % c.V != 0)
                throw new JpegNotSupportedException($"sampling factors {Sampling(frame)} are not supported (each must divide the largest)", othersRead: true);
        // Refuse before anything is allocated for pixels the file cannot hold.
        long needed = frame.MinimumDataBytes(), available = _data.Length - _position;
        if (needed > available)
            throw new JpegFormatException(
                $"it claims {width} x {height} pixels, which take at least {needed:N0} bytes of image data, but only {available:N0} bytes follow its frame header (the file is truncated or its header is damaged)");
        // Too many scans refused before the first is decoded, not after 256 of them (seconds on a large image). Up to
        // the end-of-image marker, FF DA is a scan header: entropy-coded data holds FF only before 00 or a restart marker.
        if (ScanHeadersBeforeTheEnd(_data.AsSpan(_position)) > MaxScans) throw TooManyScans();
        _frame = frame;
    }

    /// <summary>
    /// Reads a scan header, checks it against the frame, the tables and (progressive) the order of the scans so far,
    /// latches each component's quantization table at its first scan (as libjpeg does), and returns its decoder.
    /// </summary>
    private ScanDecoder ReadScan(JpegFrame frame, JpegKernel kernel, out bool codesEverything)
    {
        int scanAt = _markerAt - 1;
        ReadOnlySpan<byte> data = Segment(JpegMarkers.Sos);
        int number = ++_scans;
        if (number > MaxScans) throw TooManyScans();
        if (data.Length < 1 || data[0] is < 1 or > 4 || data.Length != 4 + 2 * data[0])
            throw new JpegFormatException($"the header of scan {number} at byte {scanAt} is invalid");
        int count = data[0];
        if (number == 1 && !frame.IsProgressive) InstallStandardTables();
        var components = new JpegComponent[count];
        var dc = new HuffmanTable?[count];
        var ac = new HuffmanTable?[count];
        int ss = data[1 + 2 * count], se = data[2 + 2 * count], ah = data[3 + 2 * count] >> 4, al = data[3 + 2 * count] & 15;
        bool progressive = frame.IsProgressive;
        ScanDecoder.Procedure procedure = !progressive ? ScanDecoder.Procedure.Sequential
            : ss == 0 ? (ah == 0 ? ScanDecoder.Procedure.DcFirst : ScanDecoder.Procedure.DcRefine)
            : (ah == 0 ? ScanDecoder.Procedure.AcFirst : ScanDecoder.Procedure.AcRefine);
        for (int i = 0; i < count; i++)
        {
            int id = data[1 + 2 * i], dcId = data[2 + 2 * i] >> 4, acId = data[2 + 2 * i] & 15;
            JpegComponent c = Array.Find(frame.Components, x => x.Id == id)
                ?? throw new JpegFormatException($"scan {number} refers to component {id}, which the frame does not have");
            if (Array.IndexOf(components, c) >= 0) throw new JpegFormatException($"scan {number} lists component {id} twice");
            components[i] = c;
            if (procedure is ScanDecoder.Procedure.Sequential or ScanDecoder.Procedure.DcFirst)
                dc[i] = Table(_dcTables, dcId, "DC", number);
            if (procedure is ScanDecoder.Procedure.Sequential or ScanDecoder.Procedure.AcFirst or ScanDecoder.Procedure.AcRefine)
                ac[i] = Table(_acTables, acId, "AC", number);
        }
        if (count > 1 && components.Sum(c => c.H * c.V) > 10)
            throw new JpegFormatException($"scan {number} has more than 10 blocks in an MCU");
        if (progressive) CheckProgression(components, ss, se, ah, al, number);
        else
        {
            foreach (JpegComponent c in components)
            {
                if (c.CoefficientBits[0] >= 0) throw new JpegFormatException($"component {c.Id} is coded by more than one scan");
                c.CoefficientBits[0] = 0;
            }
        }
        foreach (JpegComponent c in components)
        {
            c.Dequant ??= (short[]?)_quantTables[c.QuantTable]?.Clone()
                ?? throw new JpegFormatException($"component {c.Id} uses quantization table {c.QuantTable}, which the file does not define before its first scan");
        }
        codesEverything = count == frame.Components.Length;
        return new ScanDecoder(_data, _position, frame, components, dc, ac, procedure, ss, se, al, _restartInterval, number, kernel);
    }

    /// <summary>
    /// libjpeg's start of a sequential frame: its Huffman slots 0 and 1 that no DHT has filled by the first scan get
    /// T.81's standard tables (<see cref="StandardHuffmanTables"/>; Motion-JPEG frames rely on it), which a later DHT
    /// still replaces. A progressive frame gets none, as in libjpeg, and refers only to tables it defines.
    /// </summary>
    private void InstallStandardTables()
    {
        if (_dcTables[0] is not null && _dcTables[1] is not null && _acTables[0] is not null && _acTables[1] is not null) return;
        // The standard segment fills slots 0 and 1 only; the file's own tables there are put back over it.
        HuffmanTable?[] dc = [_dcTables[0], _dcTables[1]], ac = [_acTables[0], _acTables[1]];
        ReadHuffmanTables(StandardHuffmanTables.Segment);
        for (int slot = 0; slot < 2; slot++)
        {
            _dcTables[slot] = dc[slot] ?? _dcTables[slot];
            _acTables[slot] = ac[slot] ?? _acTables[slot];
        }
    }

    private static HuffmanTable Table(HuffmanTable?[] tables, int id, string kind, int scan) =>
        (id < tables.Length ? tables[id] : null)
        ?? throw new JpegFormatException($"scan {scan} uses {kind} Huffman table {id}, which the file does not define");

    /// <summary>
    /// The rules of T.81 G.1.1.1 as libjpeg applies them: a DC band alone, an AC band of one component, a
    /// refinement one bit below the previous scan of the same coefficients, AC only after DC. libjpeg only warns
    /// about scans out of order; here they are damage.
    /// </summary>
    private static void CheckProgression(JpegComponent[] components, int ss, int se, int ah, int al, int number)
    {
        bool valid = ss == 0 ? se == 0 : ss <= se && se <= 63 && components.Length == 1;
        if (ah != 0 && al != ah - 1) valid = false;
        if (al > 13) valid = false;
        if (!valid)
            throw new JpegFormatException($"scan {number} has an invalid progression (band {ss}-{se}, bits {ah}-{al})");
        foreach (JpegComponent c in components)
        {
            if (ss > 0 && c.CoefficientBits[0] < 0)
                throw new JpegFormatException($"scan {number} codes AC coefficients of component {c.Id} before its DC scan");
            for (int k = ss; k <= se; k++)
            {
                int coded = c.CoefficientBits[k];
                if (ah != (coded < 0 ? 0 : coded))
                    throw new JpegFormatException($"scan {number} refines coefficients of component {c.Id} out of order");
                c.CoefficientBits[k] = al;
            }
        }
    }

    private static void AllocateCoefficients(JpegFrame frame)
    {
        foreach (JpegComponent c in frame.Components)
        {
            long length = (long)c.BlocksWide * c.BlocksHigh * 64;
            if (length > Array.MaxLength) throw new JpegNotSupportedException("the image is too large for this decoder's progressive path", othersRead: true);
            c.Coefficients = new short[length];
        }
    }

    /// <summary>
    /// After the last scan of a progressive or multi-scan file: every block through the inverse DCT, MCU row by MCU
    /// row. Progressive coefficients are in zig-zag order: the nonzero ones are scattered into natural order first.
    /// </summary>
    private static void OutputCoefficients(JpegFrame frame, OutputStage output, JpegKernel kernel, CancellationToken cancellationToken)
    {
        CheckEveryComponentCoded(frame);
        Span<short> natural = stackalloc short[64];
        ReadOnlySpan<byte> toNatural = ZigZag.ToNatural;
        for (int m = 0; m < frame.McusHigh; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (JpegComponent c in frame.Components)
            {
                ComponentPlane plane = output.Planes[c.Index];
                short[] coefficients = c.Coefficients!;
                short[] dequant = c.Dequant!;
                for (int by = m * c.V; by < (m + 1) * c.V; by++)
                {
                    for (int bx = 0; bx < c.BlocksWide; bx++)
                    {
                        ReadOnlySpan<short> block = coefficients.AsSpan((by * c.BlocksWide + bx) * 64, 64);
                        Span<byte> target = plane.Block(by * 8, bx * 8);
                        ulong nonZero = NonZeroMask.Of(kernel, block);
                        if ((nonZero & ~1UL) == 0)
                        {
                            InverseDct.TransformDcOnly(block[0], dequant[0], target, plane.Stride);
                            continue;
                        }
                        if (!frame.IsProgressive)
                        {
                            InverseDct.Transform(kernel, block, dequant, target, plane.Stride);
                            continue;
                        }
                        natural.Clear();
                        for (; nonZero != 0; nonZero &= nonZero - 1)
                        {
                            int k = System.Numerics.BitOperations.TrailingZeroCount(nonZero);
                            natural[toNatural[k]] = block[k];
                        }
                        InverseDct.Transform(kernel, natural, dequant, target, plane.Stride);
                    }
                }
            }
            output.McuRowDone(m);
        }
    }

    /// <summary>Every component coded by some scan (its DC coefficients, in a progressive file).</summary>
    private static void CheckEveryComponentCoded(JpegFrame frame)
    {
        foreach (JpegComponent c in frame.Components)
            if (c.CoefficientBits[0] < 0)
                throw new JpegFormatException(frame.IsProgressive
                    ? $"component {c.Id} has no image data (no scan codes its DC coefficients; the file may be truncated)"
                    : $"component {c.Id} has no image data (no scan codes it; the file may be truncated)");
    }

    private JpegHeader BuildHeader(JpegFrame frame)
    {
        JpegColorSpace colorSpace = frame.Components.Length == 1 ? JpegColorSpace.Grey : ThreeComponentColorSpace(frame);
        return new JpegHeader(frame.Width, frame.Height, colorSpace, frame.IsProgressive, Sampling(frame), _metadata.Build());
    }

    /// <summary>libjpeg's rule: JFIF means YCbCr; else an Adobe marker's transform (0 = RGB); else component ids 'R' 'G' 'B' mean RGB; else YCbCr.</summary>
    private JpegColorSpace ThreeComponentColorSpace(JpegFrame frame)
    {
        if (_threeComponentsAs is JpegColorSpace stated) return stated;
        if (_metadata.SawJfif) return JpegColorSpace.YCbCr;
        if (_metadata.SawAdobe) return _metadata.AdobeTransform == 0 ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
        JpegComponent[] c = frame.Components;
        return c[0].Id == 'R' && c[1].Id == 'G' && c[2].Id == 'B' ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
    }

    private static string Sampling(JpegFrame frame) => string.Join(" ", frame.Components.Select(c => $"{c.H}x{c.V}"));
}
