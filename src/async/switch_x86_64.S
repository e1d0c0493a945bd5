/*
 * switch_x86_64.S — the coroutine context switch for x86-64 (System V).
 *
 * evt__ctx_switch(from, to) pushes the callee-saved registers (rbx, rbp,
 * r12-r15) and the SSE and x87 control words on the running stack, stores
 * rsp in from->sp, loads to->sp and pops the same set, then jumps to the
 * popped return address instead of `ret`: the return-stack predictor would
 * guess the caller on the old stack and miss on every switch. Caller-saved
 * registers need no saving: to the compiler this is an ordinary call.
 * evt__ctx_trampoline is where a new context "returns" to the first time
 * (see evt__ctx_make in context.c): entry in r12, its argument in r13.
 */
#if defined(__x86_64__) && !defined(EVT_CTX_UCONTEXT)

#if defined(__CET__)
#define EVT_ENDBR endbr64
#else
#define EVT_ENDBR
#endif

	.text
	.globl	evt__ctx_switch
	.hidden	evt__ctx_switch
	.type	evt__ctx_switch, @function
	.p2align 4
evt__ctx_switch:
	.cfi_startproc
	EVT_ENDBR
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx
	jmpq	*%rcx
	.cfi_endproc
	.size	evt__ctx_switch, .-evt__ctx_switch

	.globl	evt__ctx_trampoline
	.hidden	evt__ctx_trampoline
	.type	evt__ctx_trampoline, @function
	.p2align 4
evt__ctx_trampoline:
	.cfi_startproc
	/* The outermost frame of a coroutine: tell unwinders to stop here. */
	.cfi_undefined rip
	EVT_ENDBR
	movq	%r13, %rdi
	callq	*%r12
	ud2	/* entry never returns */
	.cfi_endproc
	.size	evt__ctx_trampoline, .-evt__ctx_trampoline

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack,"",@progbits
#endif
