"""Handlers: one function per operation id, `Call -> Reply`.

To emulate a new operation, write `def create_image(call: Call) -> Reply` in a module
here and add one line to `HANDLERS`. Operations in the table without a handler answer
501 with an Azure-shaped body. A handler may be async (e.g. to read an upload).
Stateful handlers keep their objects in `call.store` (see .._store).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from .._call import Call
from .._responses import Reply
from . import (
    assistants,
    audio,
    batches,
    evals,
    files,
    fine_tuning,
    images,
    ingestion,
    models,
    realtime,
    responses,
    runs,
    stored,
    uploads,
    vector_stores,
)
from .completions import create_completion
from .embeddings import create_embeddings

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Call], Reply | Awaitable[Reply]]

HANDLERS: Mapping[str, Handler] = {
    # chat records `store: true` completions for the stored-completions operations
    "ChatCompletions_Create": stored.chat_with_store,
    "ExtensionsChatCompletions_Create": realtime.create_extensions_chat,
    "Completions_Create": create_completion,
    "embeddings_create": create_embeddings,
    # images, audio
    "ImageGenerations_Create": images.create_image,
    "ImageGenerations_Edit": images.edit_image,
    "Speech_Create": audio.create_speech,
    "Transcriptions_Create": audio.create_transcription,
    "Translations_Create": audio.create_translation,
    # files
    "Files_Upload": files.upload_file,
    "Files_List": files.list_files,
    "Files_Get": files.get_file,
    "Files_GetContent": files.file_content,
    "Files_Delete": files.delete_file,
    "Files_Import": files.import_file,
    # batches
    "Batch_Create": batches.create_batch,
    "Batch_Get": batches.get_batch,
    "Batch_List": batches.list_batches,
    "Batch_Cancel": batches.cancel_batch,
    # fine-tuning, models
    "FineTuning_Create": fine_tuning.create_job,
    "FineTuning_Get": fine_tuning.get_job,
    "FineTuning_List": fine_tuning.list_jobs,
    "FineTuning_Cancel": fine_tuning.cancel_job,
    "FineTuning_Delete": fine_tuning.delete_job,
    "FineTuning_GetEvents": fine_tuning.list_events,
    "FineTuning_GetCheckpoints": fine_tuning.list_checkpoints,
    "FineTuning_Pause": fine_tuning.pause_job,
    "FineTuning_Resume": fine_tuning.resume_job,
    "Models_List": models.list_models,
    "Models_Get": models.get_model,
    # uploads
    "UploadFile_Start": uploads.create_upload,
    "UploadFile_Part": uploads.add_part,
    "UploadFile_Complete": uploads.complete_upload,
    "UploadFile_Cancel": uploads.cancel_upload,
    # assistants (beta)
    "Create_Assistant": assistants.create_assistant,
    "Get_Assistant": assistants.get_assistant,
    "Modify_Assistant": assistants.update_assistant,
    "Delete_Assistant": assistants.delete_assistant,
    "List_Assistants": assistants.list_assistants,
    "Create_Assistant_File": assistants.create_assistant_file,
    "Get_Assistant_File": assistants.get_assistant_file,
    "Delete_Assistant_File": assistants.delete_assistant_file,
    "List_Assistant_Files": assistants.list_assistant_files,
    "Create_Thread": assistants.create_thread,
    "Get_Thread": assistants.get_thread,
    "Modify_Thread": assistants.update_thread,
    "Delete_Thread": assistants.delete_thread,
    "Create_Message": assistants.create_message,
    "Get_Message": assistants.get_message,
    "Modify_Message": assistants.update_message,
    "List_Messages": assistants.list_messages,
    "List_Message_Files": assistants.list_message_files,
    "Get_Message_File": assistants.get_message_file,
    "Create_Run": runs.create_run,
    "Create_Thread_And_Run": runs.create_thread_and_run,
    "Get_Run": runs.get_run,
    "List_Runs": runs.list_runs,
    "Modify_Run": runs.update_run,
    "Cancel_Run": runs.cancel_run,
    "Submit_Tool_Outputs_To_Run": runs.submit_tool_outputs,
    "List_Run_Steps": runs.list_steps,
    "Get_Run_Step": runs.get_step,
    # vector stores
    "Create_Vector_Store": vector_stores.create_store,
    "Get_Vector_Store": vector_stores.get_store,
    "Modify_Vector_Store": vector_stores.update_store,
    "Delete_Vector_Store": vector_stores.delete_store,
    "List_Vector_Stores": vector_stores.list_stores,
    "searchVectorStore": vector_stores.search,
    "Create_Vector_Store_File": vector_stores.create_store_file,
    "Get_Vector_Store_File": vector_stores.get_store_file,
    "updateVectorStoreFileAttributes": vector_stores.update_store_file,
    "Delete_Vector_Store_File": vector_stores.delete_store_file,
    "List_Vector_Store_Files": vector_stores.list_store_files,
    "retrieveVectorStoreFileContent": vector_stores.file_content,
    "Create_Vector_Store_File_Batch": vector_stores.create_file_batch,
    "Get_Vector_Store_File_Batch": vector_stores.get_file_batch,
    "Cancel_Vector_Store_File_Batch": vector_stores.cancel_file_batch,
    "List_Vector_Store_File_Batch_Files": vector_stores.list_batch_files,
    # responses, stored completions, realtime sessions
    "Responses_Create": responses.create_response,
    "Responses_Get": responses.get_response,
    "deleteResponse": responses.delete_response,
    "Responses_ListInputItems": responses.list_input_items,
    "StoredCompletion_List": stored.list_stored,
    "StoredCompletion_Get": stored.get_stored,
    "StoredCompletion_Update": stored.update_stored,
    "StoredCompletion_Delete": stored.delete_stored,
    "StoredCompletion_GetMessages": stored.stored_messages,
    "create_realtimeSession": realtime.create_session,
    "create_transcriptionRealtimeSession": realtime.create_transcription_session,
    # evals, ingestion
    "Evaluation_Create": evals.create_eval,
    "Evaluation_Get": evals.get_eval,
    "Evaluation_Update": evals.update_eval,
    "Evaluation_Delete": evals.delete_eval,
    "Evaluation_GetList": evals.list_evals,
    "Evaluation_CreateRun": evals.create_run,
    "Evaluation_GetRun": evals.get_run,
    "Evaluation_CancelRun": evals.cancel_run,
    "Evaluation_DeleteRun": evals.delete_run,
    "Evaluation_GetRunList": evals.list_runs,
    "Evaluation_GetRunOutputItems": evals.list_output_items,
    "Evaluation_GetRunOutputItem": evals.get_output_item,
    "IngestionJobs_Create": ingestion.create_job,
    "IngestionJobs_Get": ingestion.get_job,
    "IngestionJobs_List": ingestion.list_jobs,
    "IngestionJobRuns_List": ingestion.list_runs,
    "IngestionJobRuns_Get": ingestion.get_run,
}
