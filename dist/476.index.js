export const id = 476;
export const ids = [476];
export const modules = {

/***/ 476:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _app_run_sequence_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4701);
/* harmony import */ var _util_node_exec_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5398);
/* harmony import */ var _runner_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1512);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9049);




/**
 * Undoes every login main made (its own and each registry-auth entry's),
 * also after main failed or was cancelled: restores the login that was in
 * the Docker config before, or removes the one imageship wrote (see
 * registry/login.ts). Says why when it skips.
 */
async function runPost() {
    const state = (0,_state_js__WEBPACK_IMPORTED_MODULE_3__/* .readPostState */ .cj)();
    if (state.registries.length === 0) {
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)('post: no registry login to undo (main did not log in)');
        return;
    }
    if (!state.logout) {
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`post: logout: false, so the login${state.registries.length > 1 ? 's' : ''} to ${state.registries.join(', ')} stay${state.registries.length > 1 ? '' : 's'} in the Docker config`);
        return;
    }
    // Only a credential helper is ever run; its output stays out of the log.
    const exec = (0,_util_node_exec_js__WEBPACK_IMPORTED_MODULE_1__/* .createNodeExec */ .k)({ writeLine: () => undefined });
    // Last in, first out: each logout sees the config as its login left it.
    for (const registry of [...state.registries].reverse()) {
        const result = await (0,_app_run_sequence_js__WEBPACK_IMPORTED_MODULE_0__/* .logOut */ .je)(exec, registry, process.env);
        // A failed logout must not fail the job, but it must be visible.
        (result.ok ? _runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq : _runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e)(`post: ${result.message}`);
    }
}


/***/ })

};
