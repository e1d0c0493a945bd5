/*
 * switch_aarch64.S — the coroutine context switch for AArch64 (AAPCS64).
 *
 * evt__ctx_switch(from, to) stores the callee-saved registers (x19-x28,
 * the frame pointer x29, the link register x30, d8-d15) and the FP control
 * register in a 176-byte frame on the running stack, keeps sp in from->sp,
 * loads to->sp, restores the same set and returns through the restored
 * x30. evt__ctx_trampoline is where a new context starts (see
 * evt__ctx_make in context.c): entry in x19, its argument in x20.
 */
#if defined(__aarch64__) && !defined(EVT_CTX_UCONTEXT)

#if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT == 1
#define EVT_BTI_C bti c
#else
#define EVT_BTI_C
#endif

	.text
	.globl	evt__ctx_switch
	.hidden	evt__ctx_switch
	.type	evt__ctx_switch, %function
	.p2align 4
evt__ctx_switch:
	.cfi_startproc
	EVT_BTI_C
	sub	sp, sp, #176
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, fpcr
	str	x9, [sp, #160]
	mov	x9, sp
	str	x9, [x0]
	ldr	x9, [x1]
	mov	sp, x9
	ldr	x9, [sp, #160]
	msr	fpcr, x9
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #176
	ret
	.cfi_endproc
	.size	evt__ctx_switch, .-evt__ctx_switch

	.globl	evt__ctx_trampoline
	.hidden	evt__ctx_trampoline
	.type	evt__ctx_trampoline, %function
	.p2align 4
evt__ctx_trampoline:
	.cfi_startproc
	/* The outermost frame of a coroutine: tell unwinders to stop here. */
	.cfi_undefined x30
	EVT_BTI_C
	mov	x0, x20
	blr	x19
	brk	#0	/* entry never returns */
	.cfi_endproc
	.size	evt__ctx_trampoline, .-evt__ctx_trampoline

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack,"",%progbits
#endif
