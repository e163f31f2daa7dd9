using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Decodes the entropy-coded data of one scan, MCU by MCU (T.81 A.2): with restart markers every
/// <c>restartInterval</c> MCUs, checked for their sequence number; the data checked for running out after every
/// MCU, so that a truncated or broken stream is an error naming how far the image got. A sequential scan that
/// holds every component goes straight through the inverse DCT into the output (<see cref="DecodeToOutput"/>);
/// any other scan adds to the coefficients kept for the whole image (<see cref="DecodeToCoefficients"/>).
/// </summary>
internal sealed class ScanDecoder
{
    internal enum Procedure { Sequential, DcFirst, DcRefine, AcFirst, AcRefine }

    private readonly byte[] _data;
    private readonly JpegFrame _frame;
    private readonly JpegComponent[] _components;
    private readonly HuffmanTable?[] _dcTables, _acTables;
    private readonly Procedure _procedure;
    private readonly int _ss, _se, _al;
    private readonly int _restartInterval;
    private readonly int _scanNumber;
    private readonly bool _single;
    private readonly int _mcusWide, _mcusHigh, _rowsPerMcuRow;
    private BitReader _reader;
    private int _endOfBandRun;
    private int _nextRestart;
    private readonly JpegKernel _kernel;

    /// <param name="data">The file.</param>
    /// <param name="start">Offset of the first byte of entropy-coded data (just after the scan header).</param>
    /// <param name="frame">The frame.</param>
    /// <param name="components">The scan's components, in scan order.</param>
    /// <param name="dcTables">Each scan component's DC table (null where the procedure needs none).</param>
    /// <param name="acTables">Each scan component's AC table (likewise).</param>
    /// <param name="procedure">What the scan codes.</param>
    /// <param name="ss">Spectral selection start (progressive).</param>
    /// <param name="se">Spectral selection end (progressive).</param>
    /// <param name="al">Successive approximation bit position (progressive).</param>
    /// <param name="restartInterval">MCUs between restart markers; 0 for none.</param>
    /// <param name="scanNumber">1-based, for messages.</param>
    /// <param name="kernel">The kernels for the inverse DCT and the coefficient masks.</param>
    internal ScanDecoder(byte[] data, int start, JpegFrame frame, JpegComponent[] components, HuffmanTable?[] dcTables,
        HuffmanTable?[] acTables, Procedure procedure, int ss, int se, int al, int restartInterval, int scanNumber, JpegKernel kernel)
    {
        _kernel = kernel;
        _data = data;
        _frame = frame;
        _components = components;
        _dcTables = dcTables;
        _acTables = acTables;
        _procedure = procedure;
        _ss = ss;
        _se = se;
        _al = al;
        _restartInterval = restartInterval;
        _scanNumber = scanNumber;
        _reader = new BitReader(data, start);
        // A scan of one component is not interleaved: its MCU is one block, and it covers only the blocks that
        // hold image samples (T.81 A.2.2). An interleaved scan covers whole MCUs.
        _single = components.Length == 1;
        JpegComponent first = components[0];
        _mcusWide = _single ? first.ScanBlocksWide : frame.McusWide;
        _mcusHigh = _single ? first.ScanBlocksHigh : frame.McusHigh;
        _rowsPerMcuRow = _single ? 8 * (frame.MaxV / first.V) : frame.McuHeight;
        foreach (JpegComponent c in components) c.DcPredictor = 0;
    }

    /// <summary>Where the data after the scan starts (the next marker, or bytes libjpeg would skip before it).</summary>
    internal int End { get; private set; }

    /// <summary>
    /// Bytes of entropy-coded data that no block used, left before the markers that end the scan's restart intervals
    /// and the scan itself (libjpeg: "Corrupt JPEG data: N extraneous bytes before marker"), summed.
    /// </summary>
    internal long LeftoverBytes { get; private set; }

    /// <summary>Rows decoded when the first leftover data was met; -1 when there was none.</summary>
    internal int FirstLeftoverAfterRows { get; private set; } = -1;

    /// <summary>
    /// The most whole bytes libjpeg-turbo's Huffman decoder may have read ahead into its 64-bit bit buffer when a scan or
    /// a restart interval ends: bytes it holds there are not counted as extraneous (djpeg's count is the leftover less 0
    /// to 7 bytes, as its buffer stood: found by experiment, up to 7 at a scan's end and 6 before a restart marker), so a
    /// leftover of no more bytes may go unreported.
    /// </summary>
    internal const int LibjpegReadAhead = 7;

    /// <summary>
    /// True when some leftover is one libjpeg reports whatever its bit buffer held: more than
    /// <see cref="LibjpegReadAhead"/> bytes before one marker.
    /// </summary>
    internal bool LeftoverSurelyReported { get; private set; }

    /// <summary>
    /// A sequential scan of every component: each block is decoded, transformed into the component planes, and
    /// each finished MCU row handed to <paramref name="output"/>.
    /// </summary>
    internal void DecodeToOutput(OutputStage output, CancellationToken cancellationToken) =>
        DecodeBlocks(new IntoOutput(output, _kernel), cancellationToken);

    /// <summary>
    /// Any other scan: decodes into the components' coefficient arrays (natural order for a sequential scan,
    /// zig-zag order for a progressive one).
    /// </summary>
    internal void DecodeToCoefficients(CancellationToken cancellationToken) =>
        DecodeBlocks(new IntoCoefficients(), cancellationToken);

    /// <summary>
    /// A sequential scan that is only checked: each block is decoded and dropped, so a scan whose data breaks off
    /// throws as in <see cref="DecodeToOutput"/> with nothing allocated.
    /// </summary>
    internal void DecodeAndDiscard(CancellationToken cancellationToken) =>
        DecodeBlocks(new Discarding(), cancellationToken);

    /// <summary>
    /// The walk every scan takes: MCU rows, MCUs with their restart intervals, each scan component's blocks in the
    /// MCU, and the check for data that ran out after each MCU. <typeparamref name="TBlocks"/> decodes one block
    /// (a struct, so the JIT compiles the walk once for each kind with the block step inlined).
    /// </summary>
    private void DecodeBlocks<TBlocks>(TBlocks blocks, CancellationToken cancellationToken)
        where TBlocks : struct, IBlockStep
    {
        Span<short> scratch = stackalloc short[64];
        int untilRestart = _restartInterval;
        for (int my = 0; my < _mcusHigh; my++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int mx = 0; mx < _mcusWide; mx++)
            {
                if (_restartInterval > 0)
                {
                    if (untilRestart == 0)
                    {
                        Restart(my);
                        untilRestart = _restartInterval;
                    }
                    untilRestart--;
                }
                for (int i = 0; i < _components.Length; i++)
                {
                    JpegComponent c = _components[i];
                    int h = _single ? 1 : c.H, v = _single ? 1 : c.V;
                    for (int by = 0; by < v; by++)
                    {
                        for (int bx = 0; bx < h; bx++)
                        {
                            int status = blocks.Decode(this, i, c, (my * v + by) * 8, (mx * h + bx) * 8, scratch);
                            if (status < 0) throw Corrupt(my, status);
                        }
                    }
                }
                if (_reader.Overrun) throw Truncated(my);
            }
            blocks.McuRowDone(my);
        }
        CountLeftover(_frame.Height);
        End = _reader.Position;
    }

    /// <summary>
    /// After the last block of an interval or of the scan: the whole bytes of data not used. The encoder pads the last
    /// byte with one bits, so unused bits within it are not counted, nor are fill bytes (0xFF) before the marker.
    /// </summary>
    private void CountLeftover(int rowsDone)
    {
        long left = Math.Max(0, _reader.Count - _reader.Padding) >> 3;
        if (!_reader.AtMarker) left += JpegMarkers.DataBefore(_data, _reader.Position).Bytes;
        if (left == 0) return;
        if (FirstLeftoverAfterRows < 0) FirstLeftoverAfterRows = rowsDone;
        LeftoverBytes += left;
        LeftoverSurelyReported |= left > LibjpegReadAhead;
    }

    /// <summary>What a scan does with each block it decodes.</summary>
    private interface IBlockStep
    {
        /// <summary>
        /// Decodes the block of scan component <paramref name="index"/> at sample row <paramref name="y"/> and column
        /// <paramref name="x"/> of its plane; returns the decoder's status (negative: corrupt data).
        /// </summary>
        int Decode(ScanDecoder scan, int index, JpegComponent c, int y, int x, Span<short> scratch);

        void McuRowDone(int mcuRow);
    }

    /// <summary>A sequential scan of every component: blocks through the inverse DCT straight into the planes.</summary>
    private readonly struct IntoOutput(OutputStage output, JpegKernel kernel) : IBlockStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Decode(ScanDecoder scan, int index, JpegComponent c, int y, int x, Span<short> scratch)
        {
            scratch.Clear();
            int last = SequentialBlockDecoder.Decode(ref scan._reader, scan._dcTables[index]!, scan._acTables[index]!, ref c.DcPredictor, scratch);
            if (last < 0) return last;
            ComponentPlane plane = output.Planes[c.Index];
            Span<byte> target = plane.Block(y, x);
            if (last == 0) InverseDct.TransformDcOnly(scratch[0], c.Dequant![0], target, plane.Stride);
            else InverseDct.Transform(kernel, scratch, c.Dequant!, target, plane.Stride);
            return last;
        }

        public void McuRowDone(int mcuRow) => output.McuRowDone(mcuRow);
    }

    /// <summary>A sequential scan only checked: each block decoded into scratch and dropped.</summary>
    private readonly struct Discarding : IBlockStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Decode(ScanDecoder scan, int index, JpegComponent c, int y, int x, Span<short> scratch)
        {
            scratch.Clear();
            return SequentialBlockDecoder.Decode(ref scan._reader, scan._dcTables[index]!, scan._acTables[index]!, ref c.DcPredictor, scratch);
        }

        public void McuRowDone(int mcuRow)
        {
        }
    }

    /// <summary>Any other scan: blocks added to the coefficients kept for the whole image.</summary>
    private readonly struct IntoCoefficients : IBlockStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Decode(ScanDecoder scan, int index, JpegComponent c, int y, int x, Span<short> scratch)
        {
            Span<short> block = c.Coefficients.AsSpan((y / 8 * c.BlocksWide + x / 8) * 64, 64);
            return scan._procedure switch
            {
                Procedure.Sequential => SequentialBlockDecoder.Decode(ref scan._reader, scan._dcTables[index]!, scan._acTables[index]!, ref c.DcPredictor, block),
                Procedure.DcFirst => ProgressiveBlockDecoder.DcFirst(ref scan._reader, scan._dcTables[index]!, ref c.DcPredictor, scan._al, block),
                Procedure.DcRefine => ProgressiveBlockDecoder.DcRefine(ref scan._reader, scan._al, block),
                Procedure.AcFirst => ProgressiveBlockDecoder.AcFirst(ref scan._reader, scan._acTables[index]!, scan._ss, scan._se, scan._al, ref scan._endOfBandRun, block),
                _ => ProgressiveBlockDecoder.AcRefine(ref scan._reader, scan._acTables[index]!, scan._ss, scan._se, scan._al, ref scan._endOfBandRun, block, scan._kernel),
            };
        }

        public void McuRowDone(int mcuRow)
        {
        }
    }

    /// <summary>
    /// The end of a restart interval: the buffered bits are dropped, the next marker must be the next RSTn, and the
    /// predictors and end-of-band run start again.
    /// </summary>
    private void Restart(int mcuRow)
    {
        CountLeftover(Rows(mcuRow));
        (int code, int at) = JpegMarkers.Find(_data, _reader.Position);
        int expected = JpegMarkers.Rst0 + _nextRestart;
        if (code != expected)
        {
            if (code is >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7)
                throw new JpegFormatException($"restart marker RST{code - JpegMarkers.Rst0} comes where RST{_nextRestart} was expected, after {Rows(mcuRow)} of {_frame.Height} rows{InScan()}");
            throw DataEnds(mcuRow, code);
        }
        _reader.Reset(at + 1);
        _nextRestart = (_nextRestart + 1) & 7;
        foreach (JpegComponent c in _components) c.DcPredictor = 0;
        _endOfBandRun = 0;
    }

    private int Rows(int mcuRow) => (int)Math.Min(_frame.Height, (long)mcuRow * _rowsPerMcuRow);

    private string InScan() => _frame.IsProgressive || _scanNumber > 1 ? $" in scan {_scanNumber}" : "";

    private JpegFormatException Corrupt(int mcuRow, int status) =>
        new($"the compressed data is corrupt after {Rows(mcuRow)} of {_frame.Height} rows{InScan()} ({BlockStatus.Describe(status)})");

    /// <summary>The data ran out inside MCU row <paramref name="mcuRow"/>.</summary>
    private JpegFormatException Truncated(int mcuRow) => DataEnds(mcuRow, JpegMarkers.Find(_data, _reader.Position).Code);

    private JpegFormatException DataEnds(int mcuRow, int code) => code < 0
        ? new JpegFormatException($"the data ends after {Rows(mcuRow)} of {_frame.Height} rows{InScan()}")
        : new JpegFormatException($"the image data breaks off after {Rows(mcuRow)} of {_frame.Height} rows{InScan()}: a marker (FF {code:X2}) comes where data was expected");
}
