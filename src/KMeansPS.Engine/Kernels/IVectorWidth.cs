namespace KMeansPS.Engine.Kernels;

/// <summary>
/// One SIMD width as the vector kernels use it: float lanes (points), the int lanes of the same width
/// (centre indices; default is all zero) and the double lanes that half of the floats widen into (the
/// canonical sums). Implemented by <see cref="Width128"/>, <see cref="Width256"/> and
/// <see cref="Width512"/>; each member is the VectorN operation of the same name.
/// </summary>
internal unsafe interface IVectorWidth<TFloats, TInts, TDoubles> : ILaneWidth<TFloats>
    where TFloats : struct
    where TInts : struct
    where TDoubles : struct
{
    static abstract void Store(TFloats value, float* destination);

    /// <summary>All lanes set where left &lt; right (ordered, so never for NaN), else clear.</summary>
    static abstract TFloats LessThan(TFloats left, TFloats right);

    /// <summary>Each lane from <paramref name="whenSet"/> where the mask's lane is set: masks are comparisons' (all ones or all zeros a lane; <see cref="MaskSelect"/>).</summary>
    static abstract TFloats ConditionalSelect(TFloats mask, TFloats whenSet, TFloats whenClear);

    /// <summary>All lanes set where left == right, else clear.</summary>
    static abstract TFloats EqualTo(TFloats left, TFloats right);

    /// <summary>Bit l set where lane l of a mask is set.</summary>
    static abstract ulong Bits(TFloats mask);

    /// <summary>The smallest lane (<see cref="LaneReductions"/>; the same caveat as <see cref="Min(TFloats, TFloats)"/>).</summary>
    static abstract float MinAcross(TFloats value);

    /// <summary>
    /// Which operand a lane takes for NaN or a -0/+0 pair differs between platforms and .NET versions, so
    /// the kernels use Min and Max only on values that are neither (squared distances of finite inputs).
    /// </summary>
    static abstract TFloats Min(TFloats left, TFloats right);

    /// <inheritdoc cref="Min(TFloats, TFloats)"/>
    static abstract TFloats Max(TFloats left, TFloats right);

    static abstract TInts Increment(TInts value);

    /// <inheritdoc cref="ConditionalSelect(TFloats, TFloats, TFloats)"/>
    static abstract TInts ConditionalSelect(TFloats mask, TInts whenSet, TInts whenClear);

    static abstract void Store(TInts value, int* destination);

    /// <summary>The float lanes widened (exactly) to doubles: the lower half, then the upper half.</summary>
    static abstract (TDoubles Lower, TDoubles Upper) Widen(TFloats value);

    static abstract TDoubles Add(TDoubles left, TDoubles right);

    static abstract TDoubles Multiply(TDoubles left, TDoubles right);

    /// <summary>
    /// sum + left x right where the product is exact (both widened floats), so fused or not it is the same bits
    /// (<see cref="FusedMultiplyAdd.OfExactProduct(System.Runtime.Intrinsics.Vector128{double}, System.Runtime.Intrinsics.Vector128{double}, System.Runtime.Intrinsics.Vector128{double})"/>).
    /// </summary>
    static abstract TDoubles AddExactProduct(TDoubles sum, TDoubles left, TDoubles right);

    static abstract TDoubles Load(double* source);

    /// <summary>Named apart: a float argument would otherwise bind here and hide the float overload.</summary>
    static abstract TDoubles BroadcastDouble(double value);

    static abstract TDoubles Subtract(TDoubles left, TDoubles right);

    /// <inheritdoc cref="Min(TFloats, TFloats)"/>
    static abstract TDoubles Min(TDoubles left, TDoubles right);

    /// <summary>Bit l set where lane l of left &lt; right (ordered).</summary>
    static abstract ulong LessThanBits(TDoubles left, TDoubles right);

    static abstract void Store(TDoubles value, double* destination);
}
