package com.cpo.platform.rest;

import java.util.List;

import com.cpo.platform.service.InputError;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as RFC 9457 problem details, sent as {@value #MEDIA_TYPE}.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the HTTP status says it all
 * @param title a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong this time, for the caller
 * @param instance the path of the request that failed
 * @param parameter the request parameter or field at fault, when there is one
 * @param errors every error, each naming its parameter or its sheet row and column; absent when there is one cause
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String parameter,
        List<InputError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** What a 400 looks like, for the API document. */
    public static final String EXAMPLE_400 = """
            {"type":"urn:cpo:problem:invalid-request","title":"Invalid request","status":400,
             "detail":"outcome 'BROKEN' is not one of [ALL, FAILED, PASSED, RETESTED]","instance":"/api/lots/CPO-OE16/L2611-01/units",
             "parameter":"outcome","errors":[{"parameter":"outcome","message":"outcome 'BROKEN' is not one of [ALL, FAILED, PASSED, RETESTED]"}]}""";
    /** What a 404 looks like, for the API document. */
    public static final String EXAMPLE_404 = """
            {"type":"urn:cpo:problem:not-found","title":"Not found","status":404,
             "detail":"no lot L0000 of product CPO-OE16 is known: check both names","instance":"/api/lots/CPO-OE16/L0000/units"}""";
}
